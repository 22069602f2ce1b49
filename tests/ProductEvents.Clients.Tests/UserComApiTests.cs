using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Clients.Tests.Hosting;

namespace ProductEvents.Clients.Tests;

[Collection(HostCollection.Name)]
public sealed class UserComApiTests(RunningHost host)
{
    private readonly HttpClient _api = host.Client();

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static string At(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ProductEventIsCreatedWithDataAsAttributesAndCustomDataKeptWithTheOccurrence()
    {
        var sku = NewId("uc-sku");
        var user = NewId("uc-user");
        using var created = await _api.PostJsonTextAsync($"api/public/products-by-id/{sku}/product_event/", $$"""
            {"user_custom_id": "{{user}}", "event_type": "add to cart", "timestamp": 1764151200,
             "data": {"name": "Trail Runner", "color": "red", "price": 89.90, "custom_data": {"quantity": 2} } }
            """);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadAsync())["id"]!.GetValue<long>();

        var product = await _api.GetJsonAsync($"api/public/products-by-id/{sku}/details/");
        Assert.Equal(sku, product["custom_id"]!.GetValue<string>());
        Assert.Equal("Trail Runner", product["name"]!.GetValue<string>());
        Assert.Equal("red", product["attributes"]!["color"]!.GetValue<string>());
        Assert.Equal("89.90", product["attributes"]!["price"]!.ToJsonString());
        Assert.Null(product["attributes"]!["custom_data"]);
        Assert.Equal(1, product["event_counts"]!["add to cart"]!.GetValue<int>());

        var native = await _api.GetJsonAsync($"api/v1/products/{sku}/events");
        var stored = native["results"]!.AsArray().Single()!;
        Assert.Equal(id, stored["number"]!.GetValue<long>());
        Assert.Equal(user, stored["user_id"]!.GetValue<string>());
        Assert.Equal("2025-11-26T10:00:00.000000Z", stored["timestamp"]!.GetValue<string>());
        Assert.Equal(2, stored["custom_data"]!["quantity"]!.GetValue<int>());

        var listed = await _api.GetJsonAsync($"api/public/users-by-id/{user}/product_events/");
        var result = listed["results"]!.AsArray().Single()!;
        Assert.Equal(id, result["id"]!.GetValue<long>());
        Assert.Equal("add to cart", result["event_type"]!.GetValue<string>());
        Assert.Equal("2025-11-26T10:00:00.000000Z", result["timestamp"]!.GetValue<string>());
        Assert.Equal(2, result["custom_data"]!["quantity"]!.GetValue<int>());
        Assert.Equal("red", result["data"]!["color"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadEventIsRefusedNamingTheFieldsAsTheClientSentThemAndNothingIsStored()
    {
        var sku = NewId("uc-bad");
        using var refused = await _api.PostJsonTextAsync($"api/public/products-by-id/{sku}/product_event/", """
            {"event_type": "wishlist", "timestamp": "yesterday", "data": {"size": {"eu": 42}}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var errors = (await refused.ReadAsync())["errors"]!.AsObject();
        Assert.Contains("event_type", errors.Select(e => e.Key));
        Assert.Contains("timestamp", errors.Select(e => e.Key));
        Assert.Contains("data.size", errors.Select(e => e.Key));
        Assert.Contains("user_id", errors.Select(e => e.Key));

        using var unknownField = await _api.PostJsonTextAsync($"api/public/products-by-id/{sku}/product_event/", """
            {"user_id": "u1", "event_type": 8, "colour": "red"}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("colour", (await unknownField.ReadAsync())["errors"]!.AsObject().Select(e => e.Key));

        using var notJson = await _api.PostJsonTextAsync($"api/public/products-by-id/{sku}/product_event/", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("body", (await notJson.ReadAsync())["errors"]!.AsObject().Select(e => e.Key));

        using var details = await _api.GetAsync($"api/public/products-by-id/{sku}/details/");
        Assert.Equal(HttpStatusCode.NotFound, details.StatusCode);
    }

    [Fact]
    public async Task ListingsAnswerPagesOfAtMostOneHundredWithCountNextAndPrevious()
    {
        var sku = NewId("uc-page");
        var events = Enumerable.Range(0, 105).Select(i => new JsonObject
        {
            ["product_id"] = sku,
            ["event_type"] = i % 5 == 0 ? "purchase" : "view",
            ["user_id"] = "pager",
            ["timestamp"] = 1764151200 + i,
        });
        using var batch = await _api.PostJsonTextAsync("api/v1/product-events/batch", new JsonObject { ["events"] = new JsonArray([.. events]) }.ToJsonString());
        batch.EnsureSuccessStatusCode();

        var first = await _api.GetJsonAsync($"api/public/products-by-id/{sku}/product_events/");
        Assert.Equal(105, first["count"]!.GetValue<long>());
        Assert.Equal(100, first["results"]!.AsArray().Count);
        Assert.Null(first["previous"]);
        Assert.Equal(At(1764151304), first["results"]![0]!["timestamp"]!.GetValue<string>());

        var second = await _api.GetJsonAsync(first["next"]!.GetValue<string>());
        Assert.Equal(5, second["results"]!.AsArray().Count);
        Assert.Null(second["next"]);
        Assert.Equal(At(1764151200), second["results"]![4]!["timestamp"]!.GetValue<string>());
        var backToFirst = await _api.GetJsonAsync(second["previous"]!.GetValue<string>());
        Assert.Equal(first["results"]![0]!["id"]!.GetValue<long>(), backToFirst["results"]![0]!["id"]!.GetValue<long>());

        var jumped = await _api.GetJsonAsync($"api/public/products-by-id/{sku}/product_events/?page=3&page_size=10");
        Assert.Equal(At(1764151284), jumped["results"]![0]!["timestamp"]!.GetValue<string>());

        var purchases = await _api.GetJsonAsync($"api/public/products-by-id/{sku}/product_events/?type=2");
        Assert.Equal(21, purchases["count"]!.GetValue<long>());
        Assert.All(purchases["results"]!.AsArray(), e => Assert.Equal("purchase", e!["event_type"]!.GetValue<string>()));

        using var tooBig = await _api.GetAsync($"api/public/products-by-id/{sku}/product_events/?page_size=101");
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        using var pastTheEnd = await _api.GetAsync($"api/public/products-by-id/{sku}/product_events/?page=3");
        Assert.Equal(HttpStatusCode.NotFound, pastTheEnd.StatusCode);
        using var badType = await _api.GetAsync($"api/public/users-by-id/pager/product_events/?type=17");
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("type", (await badType.ReadAsync())["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task ReadingNeedsTheSecretKey()
    {
        using var publicKey = await host.Client("dev-public").GetAsync("api/public/products-by-id/x/details/");
        using var noKey = await host.Client(null).PostAsync("api/public/products-by-id/x/product_event/", Json.Body("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, publicKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    [Fact]
    public async Task ARepeatedEventIdAnswersTheFirstIdWithoutCreatingAnother()
    {
        var sku = NewId("uc-dup");
        var body = $$"""{"user_id": "dup", "event_type": "view", "event_id": "{{NewId("e")}}"}""";
        using var first = await _api.PostJsonTextAsync($"api/public/products-by-id/{sku}/product_event/", body);
        using var again = await _api.PostJsonTextAsync($"api/public/products-by-id/{sku}/product_event/", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.ReadAsync())["id"]!.ToJsonString(), (await again.ReadAsync())["id"]!.ToJsonString());
        Assert.Equal(1, (await _api.GetJsonAsync($"api/public/products-by-id/{sku}/product_events/"))["count"]!.GetValue<long>());
    }
}
