using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>Every bad input gets a 4xx problem+json naming the field and the reason, and nothing of the event is stored.</summary>
public abstract class IngestValidationTests(HostFixture host)
{
    private const string Path = "/api/v1/product-events";

    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : IngestValidationTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : IngestValidationTests(host);

    [Fact]
    public async Task MalformedJsonIsRefused()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());

        using var response = await host.Alpha.PostJsonAsync(Path, $$"""{"product_id": "{{productId}}", "event_type": 1, "user_id": "{{userId}}" """);

        Assert.Contains("JSON", await Http.AssertFieldErrorAsync(response, "body"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task BodyThatIsNotJsonIsRefused()
    {
        using var response = await host.Alpha.PostAsync(Path, new StringContent("product_id=sku-1&event_type=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await Http.AssertFieldErrorAsync(response, "body");
    }

    [Fact]
    public async Task EmptyBodyIsRefused()
    {
        using var response = await host.Alpha.PostAsync(Path, new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Contains("empty", await Http.AssertFieldErrorAsync(response, "body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestWithoutBodyIsRefused()
    {
        using var response = await host.Alpha.PostAsync(Path, content: null);

        await Http.AssertFieldErrorAsync(response, "body");
    }

    [Theory]
    [InlineData("[{\"product_id\": \"x\", \"event_type\": 1, \"user_id\": \"u\"}]")]
    [InlineData("\"an event\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task JsonThatIsNotAnObjectIsRefused(string json)
    {
        using var response = await host.Alpha.PostJsonAsync(Path, json);

        Assert.Contains("object", await Http.AssertFieldErrorAsync(response, "body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingProductIdIsRefused()
    {
        var userId = Ids.User();
        var body = Bodies.Event("unused", userId);
        body.Remove("product_id");

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        Assert.Contains("required", await Http.AssertFieldErrorAsync(response, "product_id"), StringComparison.Ordinal);
        await AssertContactHasNothingAsync(userId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task EmptyProductIdIsRefused(string productId)
    {
        var userId = Ids.User();

        using var response = await host.Alpha.PostJsonAsync(Path, Bodies.Event(productId, userId));

        await Http.AssertFieldErrorAsync(response, "product_id");
        await AssertContactHasNothingAsync(userId);
    }

    [Fact]
    public async Task ProductIdOver255CharactersIsRefused()
    {
        var productId = Ids.Product() + new string('x', 256);
        var userId = Ids.User();

        using var response = await host.Alpha.PostJsonAsync(Path, Bodies.Event(productId, userId));

        Assert.Contains("255", await Http.AssertFieldErrorAsync(response, "product_id"), StringComparison.Ordinal);
        await AssertContactHasNothingAsync(userId);
    }

    [Fact]
    public async Task ProductIdOf255CharactersIsAccepted()
    {
        var productId = (Ids.Product() + new string('x', 255))[..255];

        await host.Alpha.IngestAsync(Bodies.Event(productId, Ids.User()));

        Assert.Equal(productId, (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["product_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"buy\"")]
    [InlineData("\"add cart\"")]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("\"99\"")]
    [InlineData("true")]
    public async Task UnknownEventTypeIsRefusedListingTheAllowedValues(string eventType)
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId, JsonNode.Parse(eventType));

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var reason = await Http.AssertFieldErrorAsync(response, "event_type");
        foreach (var allowed in new[] { "add to cart", "purchase", "liking", "add to observation", "order", "reservation", "return", "view",
            "click", "detail", "add", "remove", "checkout", "checkout option", "refund", "promo click" })
        {
            Assert.Contains(allowed, reason, StringComparison.Ordinal);
        }

        Assert.Contains("16", reason, StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task MissingEventTypeIsRefused()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body.Remove("event_type");

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        await Http.AssertFieldErrorAsync(response, "event_type");
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task NeitherUserIdNorUserKeyIsRefused()
    {
        var productId = Ids.Product();

        using var response = await host.Alpha.PostJsonAsync(Path, new JsonObject { ["product_id"] = productId, ["event_type"] = "view" });

        Assert.Contains("user_key", await Http.AssertFieldErrorAsync(response, "user_id"), StringComparison.Ordinal);
        await AssertProductHasNothingAsync(productId);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"26/11/2025 10:00\"")]
    [InlineData("\"2025-02-30T10:00:00Z\"")]
    [InlineData("\"\"")]
    [InlineData("1748772000000")]
    [InlineData("-1")]
    [InlineData("\"1999-12-31T23:59:59Z\"")]
    [InlineData("\"2999-01-01T00:00:00Z\"")]
    [InlineData("{}")]
    [InlineData("true")]
    public async Task BadTimestampIsRefused(string timestamp)
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["timestamp"] = JsonNode.Parse(timestamp);

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        await Http.AssertFieldErrorAsync(response, "timestamp");
        await AssertNothingStoredAsync(productId, userId);
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("[1, 2]")]
    [InlineData("[]")]
    [InlineData("{}")]
    public async Task NestedAttributeIsRefusedByName(string value)
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["dimensions"] = JsonNode.Parse(value);

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        Assert.Contains("custom_data", await Http.AssertFieldErrorAsync(response, "dimensions"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task TooManyAttributesAreRefused()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        for (var i = 0; i < 101; i++)
        {
            body[$"attr_{i}"] = i;
        }

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        Assert.Contains("100", await Http.AssertFieldErrorAsync(response, "attributes"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task HundredAttributesAreAccepted()
    {
        var productId = Ids.Product();
        var body = Bodies.Event(productId, Ids.User());
        for (var i = 0; i < 100; i++)
        {
            body[$"attr_{i}"] = i;
        }

        await host.Alpha.IngestAsync(body);

        Assert.Equal(100, (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["attributes"]!.AsObject().Count);
    }

    [Fact]
    public async Task AttributeValueOver4096CharactersIsRefused()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["description"] = new string('d', 4097);

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        Assert.Contains("4096", await Http.AssertFieldErrorAsync(response, "description"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task AttributeNameOver128CharactersIsRefused()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body[new string('k', 129)] = "v";

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var (field, reasons) = Assert.Single(problem["errors"]!.AsObject());
        Assert.StartsWith("kkk", field, StringComparison.Ordinal);
        Assert.Contains("128", reasons!.ToJsonString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task EventIdOver128CharactersIsRefused()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["event_id"] = new string('e', 129);

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        Assert.Contains("128", await Http.AssertFieldErrorAsync(response, "event_id"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Theory]
    [InlineData("\"campaign=summer\"")]
    [InlineData("[1, 2]")]
    [InlineData("7")]
    [InlineData("true")]
    public async Task CustomDataThatIsNotAnObjectIsRefused(string customData)
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["custom_data"] = JsonNode.Parse(customData);

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        Assert.Contains("object", await Http.AssertFieldErrorAsync(response, "custom_data"), StringComparison.Ordinal);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task BodyOver64KiBIsTooLarge()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["custom_data"] = new JsonObject { ["blob"] = new string('x', 70 * 1024) };

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task ChunkedBodyOver64KiBIsTooLarge()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        var body = Bodies.Event(productId, userId);
        body["padding"] = new string('x', 3000);
        for (var i = 0; i < 30; i++)
        {
            body[$"attr_{i}"] = new string('y', 3000);
        }

        // Without a Content-Length the limit has to be enforced while reading.
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await host.Alpha.PostAsync(Path, content);

        await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingStoredAsync(productId, userId);
    }

    [Fact]
    public async Task EveryProblemOfOneEventIsReportedTogether()
    {
        var body = new JsonObject { ["product_id"] = "", ["event_type"] = "buy", ["timestamp"] = "soon", ["tags"] = new JsonArray("a") };

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var fields = problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "event_type", "product_id", "tags", "timestamp", "user_id" }, fields);
    }

    private async Task AssertNothingStoredAsync(string productId, string userId)
    {
        await AssertProductHasNothingAsync(productId);
        await AssertContactHasNothingAsync(userId);
    }

    private async Task AssertProductHasNothingAsync(string productId)
    {
        using var product = await host.Alpha.GetAsync($"/api/v1/products/{productId}");
        await Http.AssertProblemAsync(product, HttpStatusCode.NotFound);
        var events = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events");
        Assert.Empty(events["results"]!.AsArray());
        var appWide = await host.Alpha.GetJsonAsync($"/api/v1/product-events?product_id={productId}");
        Assert.Empty(appWide["results"]!.AsArray());
    }

    private async Task AssertContactHasNothingAsync(string userId)
    {
        using var contact = await host.Alpha.GetAsync($"/api/v1/contacts/{userId}");
        await Http.AssertProblemAsync(contact, HttpStatusCode.NotFound);
        var events = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}/product-events");
        Assert.Empty(events["results"]!.AsArray());
    }
}
