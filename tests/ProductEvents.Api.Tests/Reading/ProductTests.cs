using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

public abstract class ProductTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : ProductTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : ProductTests(host);

    [Fact]
    public async Task UnknownProductIsNotFound()
    {
        using var response = await host.Alpha.GetAsync($"/api/v1/products/{Ids.Product()}");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LateEventDoesNotOverwriteNewerAttributeButIsCounted()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var newer = Bodies.Event(productId, userId, "view", Bodies.At(60));
        newer["color"] = "blue";
        newer["name"] = "Shoe 2025";
        await host.Alpha.IngestAsync(newer);

        var late = Bodies.Event(productId, userId, "add to cart", Bodies.At(0));
        late["color"] = "red";
        late["name"] = "Shoe (old name)";
        late["size"] = 42;
        await host.Alpha.IngestAsync(late);

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");
        Assert.Equal("Shoe 2025", product["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"color": "blue", "size": 42}"""), product["attributes"]), product.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"add to cart": 1, "view": 1}"""), product["event_counts"]));
    }

    [Fact]
    public async Task NewerEventOverwritesAttributes()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var first = Bodies.Event(productId, userId, "view", Bodies.At(0));
        first["price"] = 19.90;
        first["name"] = "Old";
        await host.Alpha.IngestAsync(first);
        var second = Bodies.Event(productId, userId, "view", Bodies.At(5));
        second["price"] = 17.50;
        second["name"] = "New";
        await host.Alpha.IngestAsync(second);

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");

        Assert.Equal("New", product["name"]!.GetValue<string>());
        Assert.Equal(17.5, product["attributes"]!["price"]!.GetValue<double>());
    }

    [Fact]
    public async Task EqualEventTimesAreWonByTheLaterArrival()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var first = Bodies.Event(productId, userId, "view", Bodies.At(0));
        first["color"] = "red";
        await host.Alpha.IngestAsync(first);
        var second = Bodies.Event(productId, userId, "view", Bodies.At(0));
        second["color"] = "green";
        await host.Alpha.IngestAsync(second);

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");

        Assert.Equal("green", product["attributes"]!["color"]!.GetValue<string>());
    }

    [Fact]
    public async Task AttributeScalarsKeepTheirJsonKind()
    {
        var productId = Ids.Product();
        var body = Bodies.Event(productId, Ids.User());
        body["price"] = JsonNode.Parse("19.90");
        body["in_stock"] = true;
        body["discount"] = null;
        body["color"] = "red";
        await host.Alpha.IngestAsync(body);

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"price": 19.90, "in_stock": true, "discount": null, "color": "red"}"""), product["attributes"]));
        Assert.Contains("\"price\":19.90", product.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatedAtIsKeptAndUpdatedAtMovesWithLaterEvents()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId));
        var before = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "purchase"));

        var after = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");

        Assert.Equal(before["created_at"]!.GetValue<string>(), after["created_at"]!.GetValue<string>());
        Assert.True(string.CompareOrdinal(after["updated_at"]!.GetValue<string>(), before["updated_at"]!.GetValue<string>()) >= 0);
        Assert.EndsWith("Z", after["updated_at"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductIdWithReservedCharactersRoundTrips()
    {
        var productId = $"{Ids.Product()} red 42?x=1#top";
        await host.Alpha.IngestAsync(Bodies.Event(productId, Ids.User()));

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{Uri.EscapeDataString(productId)}");

        Assert.Equal(productId, product["product_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProductIdWithSlashCanBeReadBack()
    {
        // A SKU such as "shoes/red-42" is a valid product_id; the path must carry it escaped as %2F.
        var productId = $"{Ids.Product()}/red-42";
        await host.Alpha.IngestAsync(Bodies.Event(productId, Ids.User()));

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{Uri.EscapeDataString(productId)}");
        var events = await host.Alpha.GetJsonAsync($"/api/v1/products/{Uri.EscapeDataString(productId)}/events");

        Assert.Equal(productId, product["product_id"]!.GetValue<string>());
        Assert.Equal(productId, Assert.Single(events["results"]!.AsArray())!["product_id"]!.GetValue<string>());
    }
}
