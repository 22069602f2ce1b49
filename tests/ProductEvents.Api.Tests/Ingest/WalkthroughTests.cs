using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>The README's walk-through: an add to cart with a name and two attributes, the product, the listing by type.</summary>
public abstract class WalkthroughTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : WalkthroughTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : WalkthroughTests(host);

    [Fact]
    public async Task AddToCartCreatesTheProductAndIsListedByTypeId()
    {
        var productId = Ids.Product();
        var userId = Ids.User();

        using var posted = await host.Alpha.PostJsonAsync("/api/v1/product-events", $$"""
            {"product_id": "{{productId}}", "event_type": "add to cart", "user_id": "{{userId}}",
             "name": "Trail running shoe", "color": "red", "size": 42}
            """);
        var accepted = await Http.ReadJsonAsync(posted);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("application/json", posted.Content.Headers.ContentType?.MediaType);
        var id = accepted["id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));
        Assert.False(accepted["duplicate"]!.GetValue<bool>());

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");
        Assert.Equal(productId, product["product_id"]!.GetValue<string>());
        Assert.Equal("Trail running shoe", product["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"color": "red", "size": 42}"""), product["attributes"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"add to cart": 1}"""), product["event_counts"]));
        Assert.NotNull(product["created_at"]);
        Assert.NotNull(product["updated_at"]);

        var listing = await host.Alpha.GetJsonAsync($"/api/v1/product-events?type=1&product_id={productId}");
        var listed = Assert.Single(listing["results"]!.AsArray())!;
        Assert.Equal(id, listed["id"]!.GetValue<string>());
        Assert.Equal(productId, listed["product_id"]!.GetValue<string>());
        Assert.Equal(userId, listed["user_id"]!.GetValue<string>());
        Assert.Null(listed["user_key"]);
        Assert.Equal("add to cart", listed["event_type"]!.GetValue<string>());
        Assert.Equal(1, listed["event_type_id"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"color": "red", "size": 42}"""), listed["attributes"]));
        Assert.Null(listed["custom_data"]);
        Assert.NotNull(listed["timestamp"]);
        Assert.NotNull(listed["received_at"]);
        Assert.Null(listing["next"]);
    }

    [Fact]
    public async Task AppWideListingByTypeIdShowsTheEventWithoutOtherFilters()
    {
        var productId = Ids.Product();
        var id = await host.Alpha.IngestAsync(Bodies.Event(productId, Ids.User(), "add to cart"));

        var seen = false;
        string? next = "/api/v1/product-events?type=1&limit=1000";
        while (next is not null && !seen)
        {
            var page = await host.Alpha.GetJsonAsync(next);
            var results = page["results"]!.AsArray();
            Assert.All(results, r => Assert.Equal(1, r!["event_type_id"]!.GetValue<int>()));
            seen = results.Any(r => r!["id"]!.GetValue<string>() == id);
            next = page["next"]?.GetValue<string>();
        }

        Assert.True(seen);
    }

    [Fact]
    public async Task EventTimeAndCustomDataComeBackAsSent()
    {
        var productId = Ids.Product();
        var body = Bodies.Event(productId, Ids.User(), 8, "2025-06-01T12:00:00+02:00");
        body["custom_data"] = new JsonObject { ["campaign"] = "summer", ["items"] = new JsonArray(1, 2) };
        body["event_id"] = $"evt-{Guid.NewGuid():N}";
        await host.Alpha.IngestAsync(body);

        var listed = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]![0]!;

        Assert.Equal("2025-06-01T10:00:00.000000Z", listed["timestamp"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(body["custom_data"], listed["custom_data"]));
        Assert.Equal(body["event_id"]!.GetValue<string>(), listed["event_id"]!.GetValue<string>());
        Assert.Equal("view", listed["event_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnixSecondsTimestampIsTheEventTime()
    {
        var productId = Ids.Product();
        var body = Bodies.Event(productId, Ids.User());
        body["timestamp"] = 1748772000;
        await host.Alpha.IngestAsync(body);

        var listed = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]![0]!;

        Assert.Equal("2025-06-01T10:00:00.000000Z", listed["timestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventWithoutTimestampHappensNow()
    {
        var productId = Ids.Product();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await host.Alpha.IngestAsync(Bodies.Event(productId, Ids.User()));
        var after = DateTimeOffset.UtcNow.AddSeconds(5);

        var listed = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]![0]!;
        var timestamp = DateTimeOffset.Parse(listed["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(timestamp, before, after);
    }

    [Fact]
    public async Task EventTypeIsAcceptedByNameIdOrNumericString()
    {
        var productId = Ids.Product();
        var userId = Ids.User();

        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "ADD_TO_CART"));
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "add_to_cart"));
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, 1));
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "1"));
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "Promo Click"));

        var counts = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"add to cart": 4, "promo click": 1}"""), counts), counts!.ToJsonString());
    }

    [Fact]
    public async Task AnonymousVisitorEventIsAcceptedAndListedWithItsKey()
    {
        var productId = Ids.Product();
        var visitor = $"visitor-{Guid.NewGuid():N}";
        await host.Alpha.IngestAsync(new JsonObject { ["product_id"] = productId, ["event_type"] = "view", ["user_key"] = visitor });

        var listed = Assert.Single((await host.Alpha.GetJsonAsync($"/api/v1/product-events?user_key={visitor}"))["results"]!.AsArray())!;

        Assert.Equal(productId, listed["product_id"]!.GetValue<string>());
        Assert.Null(listed["user_id"]);
        Assert.Equal(visitor, listed["user_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProductCreatedWithoutNameHasNoName()
    {
        var productId = Ids.Product();
        await host.Alpha.IngestAsync(Bodies.Event(productId, Ids.User()));

        var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");

        Assert.Null(product["name"]);
        Assert.Empty(product["attributes"]!.AsObject());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"view": 1}"""), product["event_counts"]));
    }
}
