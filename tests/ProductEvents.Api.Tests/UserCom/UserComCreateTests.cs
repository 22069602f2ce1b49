using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.UserCom;

/// <summary>
/// User.com's "Create product event", by the product's integer id and by the shop's id: integer ids in the answers,
/// User.com's numeric user id in <c>client</c> or <c>user_id</c>, and a public key may send.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UserComCreateTests(HostFixture host)
{
    private readonly UserComClient _client = new(host.Alpha);

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    public async Task CreateAnswersTheIntegerIdThatTheListingShows(string slash)
    {
        var sku = Ids.Product();
        var user = Ids.User();

        var id = await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event{slash}", Event(user, "add to cart"));

        var page = await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/");
        var listed = Assert.Single(page.Results);
        Assert.Equal(id, listed.Id);
        Assert.Equal("add to cart", listed.EventType);
        Assert.Equal(user, listed.UserCustomId);
        Assert.Equal(sku, listed.ProductCustomId);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    public async Task CreateByTheProductsIntegerIdAddsAnEventToThatProduct(string slash)
    {
        var sku = Ids.Product();
        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", Event(Ids.User()));
        var product = await _client.ProductAsync($"/api/public/products-by-id/{sku}/details/");

        var id = await _client.CreateNewAsync($"/api/public/products/{product.Id}/product_event{slash}", Event(Ids.User(), "purchase"));

        var page = await _client.PageAsync($"/api/public/products/{product.Id}/product_events/");
        Assert.Equal(2, page.Count);
        Assert.Equal(id, page.Results.Single(e => e.EventType == "purchase").Id);
        Assert.All(page.Results, e => Assert.Equal(product.Id, e.Product));
    }

    [Fact]
    public async Task CreateForAnUnknownIntegerProductIdIsA404AndStoresNothing()
    {
        using var response = await host.Alpha.PostJsonAsync("/api/public/products/987654321987/product_event/", Event(Ids.User()));

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("products-by-id", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepeatedEventIdAnswers200WithTheFirstEventsId()
    {
        var sku = Ids.Product();
        var body = Event(Ids.User());
        body["event_id"] = $"order-{Guid.NewGuid():N}";

        var first = await _client.CreateAsync($"/api/public/products-by-id/{sku}/product_event/", body);
        var again = await _client.CreateAsync($"/api/public/products-by-id/{sku}/product_event/", body);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Created!.Id, again.Created!.Id);
        Assert.Equal(1, (await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Count);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("user_id")]
    public async Task UserComsIntegerUserIdNamesTheContactItWasShownFor(string field)
    {
        var user = Ids.User();
        var sku = Ids.Product();
        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", Event(user));
        var contactId = Assert.Single((await _client.PageAsync($"/api/public/users-by-id/{user}/product_events/")).Results).User;

        var id = await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", new JsonObject
        {
            [field] = contactId,
            ["event_type"] = "purchase",
        });

        var page = await _client.PageAsync($"/api/public/users/{contactId}/product_events/");
        Assert.Equal(2, page.Count);
        var purchase = page.Results.Single(e => e.Id == id);
        Assert.Equal(user, purchase.UserCustomId);
        Assert.Equal(contactId, purchase.User);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("user_id")]
    public async Task AnUnknownIntegerUserIdIsRefusedNamingTheFieldAndCreatesNoContact(string field)
    {
        var sku = Ids.Product();

        using var response = await host.Alpha.PostJsonAsync($"/api/public/products-by-id/{sku}/product_event/", new JsonObject
        {
            [field] = 987_654_321_987L,
            ["event_type"] = "view",
        });

        var reason = await Http.AssertFieldErrorAsync(response, field);
        Assert.Contains("user_custom_id", reason, StringComparison.Ordinal);
        Assert.Equal(0, (await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Count);
        using var contact = await host.Alpha.GetAsync("/api/v1/contacts/987654321987");
        Assert.Equal(HttpStatusCode.NotFound, contact.StatusCode);
    }

    [Fact]
    public async Task AnIntegerUserIdAndACustomIdOfTwoContactsAreRefused()
    {
        var sku = Ids.Product();
        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", Event(Ids.User()));
        var contactId = Assert.Single((await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Results).User;

        using var response = await host.Alpha.PostJsonAsync($"/api/public/products-by-id/{sku}/product_event/", new JsonObject
        {
            ["client"] = contactId,
            ["user_custom_id"] = Ids.User(),
            ["event_type"] = "view",
        });

        await Http.AssertFieldErrorAsync(response, "client");
        Assert.Equal(1, (await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Count);
    }

    [Theory]
    [InlineData("client", "\"42\"")]
    [InlineData("client", "4.5")]
    [InlineData("user_id", "-3")]
    [InlineData("user_id", "0")]
    public async Task AUserIdThatIsNoIntegerIdIsRefusedNamingTheField(string field, string value)
    {
        using var response = await host.Alpha.PostJsonAsync(
            $"/api/public/products-by-id/{Ids.Product()}/product_event/", $$"""{"{{field}}": {{value}}, "event_type": "view"}""");

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task AStringUserIdIsTheShopsOwnIdAsUserCustomIdIs()
    {
        var user = Ids.User();
        var sku = Ids.Product();

        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", new JsonObject { ["user_id"] = user, ["event_type"] = "view" });
        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", new JsonObject { ["user_custom_id"] = user, ["event_type"] = "view" });

        var page = await _client.PageAsync($"/api/public/users-by-id/{user}/product_events/");
        Assert.Equal(2, page.Count);
        Assert.Single(page.Results.Select(e => e.User).Distinct());
    }

    [Fact]
    public async Task TimestampIsTakenAsUnixSecondsOrIsoAndReadBackAsIso()
    {
        var sku = Ids.Product();
        var at = new DateTimeOffset(2025, 11, 26, 10, 0, 0, TimeSpan.Zero);

        var unix = await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", Event(Ids.User(), timestamp: at.ToUnixTimeSeconds()));
        var iso = await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", Event(Ids.User(), timestamp: "2025-11-26T10:00:01.5Z"));

        var page = await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/");
        Assert.Equal(at, page.Results.Single(e => e.Id == unix).Timestamp);
        Assert.Equal(at.AddSeconds(1.5), page.Results.Single(e => e.Id == iso).Timestamp);
    }

    [Fact]
    public async Task CustomDataIsReadAtTheTopLevelAndDataHoldsTheAttributes()
    {
        var sku = Ids.Product();
        var body = Event(Ids.User(), "add to cart");
        body["data"] = new JsonObject { ["name"] = "Trail Runner", ["color"] = "red", ["custom_data"] = new JsonObject { ["quantity"] = 2 } };

        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", body);

        var listed = Assert.Single((await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Results);
        Assert.Equal(2, listed.CustomData!.Value.GetProperty("quantity").GetInt32());
        Assert.Equal("red", listed.Data["color"].GetString());
        Assert.Equal("Trail Runner", listed.Data["name"].GetString());
        Assert.False(listed.Data.ContainsKey("custom_data"));
    }

    [Theory]
    [InlineData("products-by-id/{sku}/product_event/")]
    [InlineData("products/{id}/product_event/")]
    public async Task APublicKeyMaySendAProductEventAsOnTheNativeIngestEndpoint(string route)
    {
        var sku = Ids.Product();
        await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", Event(Ids.User()));
        var product = await _client.ProductAsync($"/api/public/products-by-id/{sku}/details/");
        var path = "/api/public/" + route.Replace("{sku}", sku, StringComparison.Ordinal).Replace("{id}", $"{product.Id}", StringComparison.Ordinal);

        var id = await new UserComClient(host.AlphaPublic).CreateNewAsync(path, Event(Ids.User()));

        Assert.Contains(id, (await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Results.Select(e => e.Id));
    }

    [Theory]
    [InlineData("/api/public/products-by-id/x/details/")]
    [InlineData("/api/public/products-by-id/x/product_events/")]
    [InlineData("/api/public/users-by-id/x/product_events/")]
    [InlineData("/api/public/products/1/")]
    [InlineData("/api/v1/products/x")]
    public async Task APublicKeyAskingToReadIsToldWhatAPublicKeyMayDo(string path)
    {
        using var response = await host.AlphaPublic.GetAsync(path);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("can only send product events", detail, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/product-events", detail, StringComparison.Ordinal);
        Assert.Contains("/api/public/products-by-id/{custom_id}/product_event/", detail, StringComparison.Ordinal);
        Assert.Contains("secret key", detail, StringComparison.Ordinal);
    }

    private static JsonObject Event(string userCustomId, string eventType = "view", JsonNode? timestamp = null)
    {
        var body = new JsonObject { ["user_custom_id"] = userCustomId, ["event_type"] = eventType };
        if (timestamp is not null)
        {
            body["timestamp"] = timestamp;
        }

        return body;
    }
}
