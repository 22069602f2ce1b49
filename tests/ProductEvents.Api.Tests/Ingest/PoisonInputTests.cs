using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Api.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>
/// What the log cannot store or a listing cannot write back is refused at the door, by field: NUL, invalid UTF-8,
/// unpaired surrogates, numbers beyond a double, custom_data nested deeper than 16 levels. A batch refuses the item
/// alone. Nothing of a refused event is stored, and the listings go on answering.
/// </summary>
public abstract class PoisonInputTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : PoisonInputTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : PoisonInputTests(host);

    public static TheoryData<string, string, string> PoisonedFields => new()
    {
        // name of the case, the JSON text spliced into an event, the field the error names
        { "NUL escape in the name", "\"name\": \"a\\u0000b\"", "name" },
        { "NUL escape in an attribute", "\"color\": \"\\u0000\"", "color" },
        { "NUL escape deep in custom_data", "\"custom_data\": {\"a\": [1, {\"b\": \"x\\u0000\"}]}", "custom_data.a[1].b" },
        { "unpaired high surrogate escape in custom_data", "\"custom_data\": {\"s\": \"\\ud800\"}", "custom_data.s" },
        { "unpaired low surrogate escape in the name", "\"name\": \"x\\udc00y\"", "name" },
        { "number too large for jsonb", "\"custom_data\": {\"n\": 1e999999999}", "custom_data.n" },
        { "number too small for jsonb", "\"custom_data\": {\"n\": 1e-999999}", "custom_data.n" },
        { "number beyond a double in an attribute", "\"price\": 1e400", "price" },
        { "NUL escape in a property name", "\"custom_data\": {\"a\\u0000\": 1}", "custom_data" },
        { "custom_data nested 17 levels", "\"custom_data\": " + Nested(17), "custom_data.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d" },
        { "custom_data nested 63 levels", "\"custom_data\": " + Nested(63), "custom_data.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d" },
    };

    [Theory]
    [MemberData(nameof(PoisonedFields))]
    public async Task AnEventHoldingWhatCannotBeStoredIsRefusedNamingTheFieldAndNothingIsStored(string name, string splice, string field)
    {
        var productId = Ids.Product();
        using var response = await host.AlphaPublic.PostAsync("/api/v1/product-events", Json(EventText(productId, splice)));

        var reasons = await Http.AssertFieldErrorAsync(response, field);
        Assert.False(string.IsNullOrWhiteSpace(reasons), name);
        await AssertNothingStoredAsync(productId);
    }

    [Theory]
    [InlineData("invalid bytes", new byte[] { 0xFF, 0xFE })]
    [InlineData("an emoji cut in half", new byte[] { 0xF0, 0x9F })]
    [InlineData("an encoded surrogate", new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task InvalidUtf8InAStringIsRefusedNamingTheField(string name, byte[] bytes)
    {
        var productId = Ids.Product();
        var body = Concat($$"""{"product_id": "{{productId}}", "event_type": "view", "user_id": "u-1", "name": "Trail Runner """, bytes, "\"}");

        using var response = await host.AlphaPublic.PostAsync("/api/v1/product-events", Json(body));

        Assert.Contains("UTF-8", await Http.AssertFieldErrorAsync(response, "name"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(name));
        await AssertNothingStoredAsync(productId);
    }

    [Fact]
    public async Task ABatchRefusesThePoisonedItemsAloneAndCommitsTheOthers()
    {
        var productId = Ids.Product();
        var body = Concat(
            $$"""{"events": [{"product_id": "{{productId}}", "event_type": "view", "user_id": "u-1"}, """ +
            $$"""{"product_id": "{{productId}}", "event_type": "view", "user_id": "u-2", "name": "cut """,
            [0xF0, 0x9F],
            "\"" + $$"""}, {"product_id": "{{productId}}", "event_type": "view", "user_id": "u-3", "custom_data": {"s": "\ud800"}""" + "}, " +
            $$"""{"product_id": "{{productId}}", "event_type": "view", "user_id": "u-4", "custom_data": {{Nested(16)}}}]}""");

        using var response = await host.AlphaPublic.PostAsync("/api/v1/product-events/batch", Json(body));

        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        var statuses = json["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()).ToArray();
        Assert.Equal(["accepted", "rejected", "rejected", "accepted"], statuses);
        Assert.True(json["results"]![1]!["errors"]!.AsObject().ContainsKey("name"));
        Assert.True(json["results"]![2]!["errors"]!.AsObject().ContainsKey("custom_data.s"));
        var listed = await host.Alpha.GetJsonAsync($"/api/v1/product-events?product_id={productId}");
        Assert.Equal(["u-4", "u-1"], listed["results"]!.AsArray().Select(e => e!["user_id"]!.GetValue<string>()).Order().Reverse());
    }

    [Theory]
    [InlineData("""{"\udc00\ud800": true, "events": []}""", "has a property name")]
    [InlineData("""{"events": [], "events": []}""", "'events' more than once")]
    public async Task ABatchEnvelopeWithABrokenPropertyNameIsRefusedNamingTheBody(string body, string reason)
    {
        using var response = await host.AlphaPublic.PostAsync("/api/v1/product-events/batch", Json(body));

        Assert.Contains(reason, await Http.AssertFieldErrorAsync(response, "body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomDataSixteenLevelsDeepIsAcceptedAndReadsBackThroughEveryListing()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        using var response = await host.Alpha.PostAsync("/api/v1/product-events", Json(EventText(productId, "\"custom_data\": " + Nested(16), userId)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        foreach (var path in new[]
        {
            $"/api/v1/product-events?product_id={productId}", $"/api/v1/products/{productId}/events", $"/api/v1/contacts/{userId}/product-events",
            $"/api/public/products-by-id/{productId}/product_events/", $"/api/public/users-by-id/{userId}/product_events/",
        })
        {
            var page = await host.Alpha.GetJsonAsync(path);
            Assert.Contains("\"d\":{\"d\":", page.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AStoredEntryNoListingCanWriteIsListedInItsSafeForm()
    {
        // Stored as an older version accepted it, past the door's rules: straight into the log.
        var productId = Ids.Product();
        var log = host.App.Services.GetRequiredService<IEventLog>();
        var now = DateTimeOffset.UtcNow;
        var deep = string.Concat(Enumerable.Repeat("{\"d\":", 63)) + "1" + new string('}', 63);
        await log.AppendAsync([new ProductEventRecord(0, Guid.NewGuid(), "alpha", productId, ProductEventType.View, "u-deep", null, null, now, now, null,
            new Dictionary<string, AttributeValue>(), deep)]);

        var listed = await host.Alpha.GetJsonAsync($"/api/v1/product-events?product_id={productId}");
        var userCom = await host.Alpha.GetJsonAsync($"/api/public/products-by-id/{productId}/product_events/");

        // The raw text is the stored JSON as the log keeps it: PostgreSQL's jsonb writes it back with spaces.
        Assert.Equal(deep, WithoutSpaces(listed["results"]![0]!["custom_data"]!["_raw"]!.GetValue<string>()));
        Assert.Equal(deep, WithoutSpaces(userCom["results"]![0]!["custom_data"]!["_raw"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/api/v1/product-events?product_id=a%00b", "product_id")]
    [InlineData("/api/v1/product-events?user_key=%00", "user_key")]
    public async Task AQueryHoldingWhatCannotBeStoredIsRefusedNamingIt(string path, string field)
    {
        using var response = await host.Alpha.GetAsync(path);

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Theory]
    [InlineData("/api/v1/products/a%00b/events")]
    [InlineData("/api/v1/contacts/u%00/product-events")]
    public async Task APathHoldingNulIsRefusedAsAProblemBeforeAnyEndpointRuns(string path)
    {
        // The web server itself refuses a path that decodes to NUL; the answer is still problem+json.
        using var response = await host.Alpha.GetAsync(path);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("path", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserComEventForAProductIdHoldingNulIsRefused()
    {
        using var response = await host.Alpha.PostAsync("/api/public/products-by-id/a%00b/product_event/",
            Json(Encoding.UTF8.GetBytes("""{"user_custom_id": "u-1", "event_type": "view"}""")));

        await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/v1/segments", """{"name": "bad \ud800", "condition": {"event": {"type": "view"}}}""", "name")]
    [InlineData("/api/v1/identify", """{"user_id": "u\u0000", "user_key": "k-1"}""", "user_id")]
    [InlineData("/api/v1/automations", """{"name": "x", "trigger": {"event": "add to cart"}, "note": "\udfff"}""", "note")]
    public async Task DefinitionsAndIdentifyRefuseWhatCannotBeStored(string path, string body, string field)
    {
        using var response = await host.Alpha.PostAsync(path, Json(Encoding.UTF8.GetBytes(body)));

        await Http.AssertFieldErrorAsync(response, field);
    }

    private async Task AssertNothingStoredAsync(string productId)
    {
        var listed = await host.Alpha.GetJsonAsync($"/api/v1/product-events?product_id={productId}");
        Assert.Empty(listed["results"]!.AsArray());
    }

    private static string EventText(string productId, string splice, string userId = "u-1") =>
        $$"""{"product_id": "{{productId}}", "event_type": "view", "user_id": "{{userId}}", {{splice}}}""";

    private static string WithoutSpaces(string json) => json.Replace(" ", "", StringComparison.Ordinal);

    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"d\":", levels)) + "1" + new string('}', levels);

    private static ByteArrayContent Json(string text) => Json(Encoding.UTF8.GetBytes(text));

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] Concat(string head, byte[] middle, string tail) =>
        [.. Encoding.UTF8.GetBytes(head), .. middle, .. Encoding.UTF8.GetBytes(tail)];
}
