using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Ingest;

public abstract class BatchIngestTests(HostFixture host)
{
    private const string Path = "/api/v1/product-events/batch";

    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : BatchIngestTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : BatchIngestTests(host);

    [Fact]
    public async Task MixedBatchAnswersPerItemInRequestOrder()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var eventId = $"evt-{Guid.NewGuid():N}";
        var firstId = await host.Alpha.IngestAsync(WithEventId(Bodies.Event(productId, userId, "purchase"), eventId));
        var badType = Bodies.Event(productId, userId, "buy");
        var noUser = new JsonObject { ["product_id"] = productId, ["event_type"] = 1 };
        var body = new JsonObject
        {
            ["events"] = new JsonArray(
                Bodies.Event(productId, userId, "view"),
                badType,
                WithEventId(Bodies.Event(productId, userId, "purchase"), eventId),
                noUser,
                Bodies.Event(productId, userId, "add to cart")),
        };

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var json = await Http.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = json["results"]!.AsArray();
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, results.Select(r => r!["index"]!.GetValue<int>()));
        Assert.Equal(new[] { "accepted", "rejected", "duplicate", "rejected", "accepted" }, results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.True(Guid.TryParse(results[0]!["id"]!.GetValue<string>(), out _));
        Assert.Null(results[1]!["id"]);
        Assert.True(results[1]!["errors"]!.AsObject().ContainsKey("event_type"));
        Assert.Equal(firstId, results[2]!["id"]!.GetValue<string>());
        Assert.Null(results[3]!["id"]);
        Assert.True(results[3]!["errors"]!.AsObject().ContainsKey("user_id"));
        Assert.Null(results[0]!["errors"]);
        Assert.Null(results[4]!["errors"]);

        var counts = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"add to cart": 1, "purchase": 1, "view": 1}"""), counts), counts!.ToJsonString());
        var listed = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]!.AsArray();
        Assert.Equal(3, listed.Count);
        Assert.Contains(listed, e => e!["id"]!.GetValue<string>() == results[0]!["id"]!.GetValue<string>());
        Assert.Contains(listed, e => e!["id"]!.GetValue<string>() == results[4]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task BatchWhoseItemsAreAllRejectedStoresNothing()
    {
        var productId = Ids.Product();
        var body = new JsonObject
        {
            ["events"] = new JsonArray(
                new JsonObject { ["product_id"] = productId, ["event_type"] = 1 },
                Bodies.Event(productId, Ids.User(), "nope"),
                JsonValue.Create("not an event")),
        };

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var json = await Http.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(json["results"]!.AsArray(), r => Assert.Equal("rejected", r!["status"]!.GetValue<string>()));
        Assert.True(json["results"]![2]!["errors"]!.AsObject().ContainsKey("body"));
        using var product = await host.Alpha.GetAsync($"/api/v1/products/{productId}");
        Assert.Equal(HttpStatusCode.NotFound, product.StatusCode);
    }

    [Fact]
    public async Task SameEventIdTwiceInOneBatchIsStoredOnce()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var eventId = $"evt-{Guid.NewGuid():N}";
        var body = new JsonObject
        {
            ["events"] = new JsonArray(
                WithEventId(Bodies.Event(productId, userId), eventId),
                WithEventId(Bodies.Event(productId, userId), eventId)),
        };

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var results = (await Http.ReadJsonAsync(response))["results"]!.AsArray();
        Assert.Equal("accepted", results[0]!["status"]!.GetValue<string>());
        Assert.Equal("duplicate", results[1]!["status"]!.GetValue<string>());
        Assert.Equal(results[0]!["id"]!.GetValue<string>(), results[1]!["id"]!.GetValue<string>());
        Assert.Single((await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]!.AsArray());
    }

    [Fact]
    public async Task ThousandEventsAreAccepted()
    {
        var productId = Ids.Product();
        var userId = Ids.User();

        var ids = await host.Alpha.IngestBatchAsync(Enumerable.Range(0, 1000).Select(_ => Bodies.Event(productId, userId)));

        Assert.Equal(1000, ids.Distinct().Count());
        var counts = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"]!;
        Assert.Equal(1000, counts["view"]!.GetValue<int>());
    }

    [Fact]
    public async Task MoreThanThousandEventsAreTooLarge()
    {
        var productId = Ids.Product();
        var body = new JsonObject { ["events"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(_ => Bodies.Event(productId, Ids.User()))]) };

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProductUnknownAsync(productId);
    }

    [Fact]
    public async Task BodyOverOneMebibyteIsTooLarge()
    {
        var productId = Ids.Product();
        var padded = Bodies.Event(productId, Ids.User());
        padded["custom_data"] = new JsonObject { ["blob"] = new string('x', 12 * 1024) };
        var body = new JsonObject { ["events"] = new JsonArray([.. Enumerable.Range(0, 100).Select(_ => padded.DeepClone())]) };
        Assert.True(Encoding.UTF8.GetByteCount(body.ToJsonString()) > 1024 * 1024);

        using var response = await host.Alpha.PostJsonAsync(Path, body);

        await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertProductUnknownAsync(productId);
    }

    [Fact]
    public async Task ChunkedBodyOverOneMebibyteGetsTheBatchLimitNotTheServersBackstop()
    {
        var productId = Ids.Product();
        var padded = Bodies.Event(productId, Ids.User());
        padded["custom_data"] = new JsonObject { ["blob"] = new string('x', 12 * 1024) };
        var body = new JsonObject { ["events"] = new JsonArray([.. Enumerable.Range(0, 100).Select(_ => padded.DeepClone())]) };

        // Without a Content-Length the limit is found while reading, below Kestrel's Api:Http:MaxRequestBodyBytes.
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await host.Alpha.PostAsync(Path, content);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProductUnknownAsync(productId);
    }

    [Fact]
    public async Task EmptyEventsAreRefused()
    {
        using var response = await host.Alpha.PostJsonAsync(Path, """{"events": []}""");

        await Http.AssertFieldErrorAsync(response, "events");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"events": {"product_id": "p"}}""")]
    [InlineData("""{"events": null}""")]
    [InlineData("[]")]
    public async Task BodyWithoutAnEventsArrayIsRefused(string json)
    {
        using var response = await host.Alpha.PostJsonAsync(Path, json);

        await Http.AssertFieldErrorAsync(response, "events");
    }

    [Fact]
    public async Task MalformedBatchJsonIsRefused()
    {
        using var response = await host.Alpha.PostJsonAsync(Path, """{"events": [{"product_id": "p",""");

        await Http.AssertFieldErrorAsync(response, "body");
    }

    [Fact]
    public async Task EmptyBatchBodyIsRefused()
    {
        using var response = await host.Alpha.PostAsync(Path, new StringContent("", Encoding.UTF8, "application/json"));

        await Http.AssertFieldErrorAsync(response, "body");
    }

    private static JsonObject WithEventId(JsonObject body, string eventId)
    {
        body["event_id"] = eventId;
        return body;
    }

    private async Task AssertProductUnknownAsync(string productId)
    {
        using var product = await host.Alpha.GetAsync($"/api/v1/products/{productId}");
        await Http.AssertProblemAsync(product, HttpStatusCode.NotFound);
        Assert.Empty((await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]!.AsArray());
    }
}
