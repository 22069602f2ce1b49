using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.UserCom;

/// <summary>
/// User.com's product details and product-event listings, by integer id and by the shop's id, each with and without
/// the trailing slash, read by a strict typed client: integer ids, names for types, one ISO-8601 format for times,
/// Django REST framework pages.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UserComReadTests(HostFixture host)
{
    private readonly UserComClient _client = new(host.Alpha);

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    public async Task ProductDetailsByIntegerIdAndByCustomIdAreTheSameProduct(string slash)
    {
        var sku = Ids.Product();
        await SendAsync(sku, Ids.User(), "view", data: new JsonObject { ["name"] = "Trail Runner", ["price"] = 89.9 });

        var byCustomId = await _client.ProductAsync($"/api/public/products-by-id/{sku}/details{slash}");
        var byId = await _client.ProductAsync($"/api/public/products/{byCustomId.Id}{slash}");

        Assert.True(byCustomId.Id > 0);
        Assert.Equal(sku, byCustomId.CustomId);
        Assert.Equal("Trail Runner", byCustomId.Name);
        Assert.Equal(89.9m, byCustomId.Attributes["price"].GetDecimal());
        Assert.Equal(1, byCustomId.EventCounts["view"]);
        Assert.Equal(byCustomId with { }, byId with { Attributes = byCustomId.Attributes, EventCounts = byCustomId.EventCounts });
        Assert.Equal(byCustomId.Attributes.Keys, byId.Attributes.Keys);
    }

    [Fact]
    public async Task ANativeProductShowsTheSameIntegerId()
    {
        var sku = Ids.Product();
        await SendAsync(sku, Ids.User(), "view");

        var native = await host.Alpha.GetJsonAsync($"/api/v1/products/{sku}");
        var details = await _client.ProductAsync($"/api/public/products-by-id/{sku}/details/");

        Assert.Equal(details.Id, native["id"]!.GetValue<long>());
        Assert.Equal(sku, native["product_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    public async Task EveryListingRouteAnswersTheSameEventsWithIntegerIds(string slash)
    {
        var sku = Ids.Product();
        var user = Ids.User();
        var created = new List<long>();
        foreach (var type in new[] { "view", "add to cart", "purchase" })
        {
            created.Add(await SendAsync(sku, user, type));
        }

        var byProductCustomId = await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events{slash}");
        var first = byProductCustomId.Results[0];
        var byProductId = await _client.PageAsync($"/api/public/products/{first.Product}/product_events{slash}");
        var byUserCustomId = await _client.PageAsync($"/api/public/users-by-id/{user}/product_events{slash}");
        var byUserId = await _client.PageAsync($"/api/public/users/{first.User}/product_events{slash}");

        foreach (var page in new[] { byProductCustomId, byProductId, byUserCustomId, byUserId })
        {
            Assert.Equal(3, page.Count);
            Assert.Null(page.Next);
            Assert.Null(page.Previous);
            Assert.Equal(created.AsEnumerable().Reverse(), page.Results.Select(e => e.Id));
            Assert.Equal(["purchase", "add to cart", "view"], page.Results.Select(e => e.EventType));
            Assert.All(page.Results, e =>
            {
                Assert.Equal(first.Product, e.Product);
                Assert.Equal(sku, e.ProductCustomId);
                Assert.Equal(first.User, e.User);
                Assert.Equal(user, e.UserCustomId);
            });
        }
    }

    [Theory]
    [InlineData("2")]
    [InlineData("purchase")]
    [InlineData("PURCHASE")]
    public async Task TypeFiltersByIdOrByName(string type)
    {
        var sku = Ids.Product();
        var user = Ids.User();
        await SendAsync(sku, user, "view");
        var purchase = await SendAsync(sku, user, "purchase");
        var productId = (await _client.ProductAsync($"/api/public/products-by-id/{sku}/details/")).Id;

        foreach (var path in new[]
        {
            $"/api/public/products-by-id/{sku}/product_events/", $"/api/public/products/{productId}/product_events/",
            $"/api/public/users-by-id/{user}/product_events/",
        })
        {
            var page = await _client.PageAsync($"{path}?type={Uri.EscapeDataString(type)}");
            Assert.Equal(purchase, Assert.Single(page.Results).Id);
            Assert.Equal(1, page.Count);
        }
    }

    [Fact]
    public async Task PagesFollowNextAndPreviousWithCount()
    {
        var sku = Ids.Product();
        var events = Enumerable.Range(0, 7).Select(i => new JsonObject
        {
            ["product_id"] = sku,
            ["event_type"] = "view",
            ["user_id"] = "pager",
            ["timestamp"] = Bodies.At(i),
        });
        await host.Alpha.IngestBatchAsync(events);

        var first = await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/?page_size=3");
        var second = await _client.PageAsync(first.Next!.ToString());
        var third = await _client.PageAsync(second.Next!.ToString());
        var backToSecond = await _client.PageAsync(third.Previous!.ToString());
        var jumped = await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/?page_size=3&page=3");

        Assert.All(new[] { first, second, third }, p => Assert.Equal(7, p.Count));
        Assert.Equal([3, 3, 1], new[] { first, second, third }.Select(p => p.Results.Count));
        Assert.Null(first.Previous);
        Assert.Null(third.Next);
        Assert.Equal(7, new[] { first, second, third }.SelectMany(p => p.Results).Select(e => e.Id).Distinct().Count());
        Assert.Equal(second.Results.Select(e => e.Id), backToSecond.Results.Select(e => e.Id));
        Assert.Equal(third.Results.Select(e => e.Id), jumped.Results.Select(e => e.Id));
        Assert.Equal(DateTimeOffset.Parse(Bodies.At(0), System.Globalization.CultureInfo.InvariantCulture), third.Results[0].Timestamp);
    }

    [Fact]
    public async Task AVisitorsEventsHaveAnIntegerUserIdThatListsThem()
    {
        var sku = Ids.Product();
        var visitor = $"visitor-{Guid.NewGuid():N}";
        await host.Alpha.IngestAsync(new JsonObject { ["product_id"] = sku, ["event_type"] = "view", ["user_key"] = visitor });

        var listed = Assert.Single((await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Results);
        var byUser = await _client.PageAsync($"/api/public/users/{listed.User}/product_events/");

        Assert.Null(listed.UserCustomId);
        Assert.Equal(visitor, listed.UserKey);
        Assert.Equal(listed.Id, Assert.Single(byUser.Results).Id);
    }

    [Fact]
    public async Task AVisitorMergedIntoAContactIsShownAsThatContact()
    {
        var sku = Ids.Product();
        var user = Ids.User();
        var visitor = $"visitor-{Guid.NewGuid():N}";
        await host.Alpha.IngestAsync(new JsonObject { ["product_id"] = sku, ["event_type"] = "view", ["user_key"] = visitor });
        using (var identify = await host.Alpha.PostJsonAsync("/api/v1/identify", new JsonObject { ["user_id"] = user, ["user_key"] = visitor }))
        {
            Assert.True(identify.IsSuccessStatusCode, await identify.Content.ReadAsStringAsync());
        }

        await SendAsync(sku, user, "purchase");

        var page = await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/");
        Assert.Equal(2, page.Count);
        Assert.Single(page.Results.Select(e => e.User).Distinct());
        Assert.All(page.Results, e => Assert.Equal(user, e.UserCustomId));
    }

    [Theory]
    [InlineData("/api/public/products/987654321987/", "Product not found")]
    [InlineData("/api/public/products/987654321987/product_events/", "Product not found")]
    [InlineData("/api/public/products/sku-1/", "Product not found")]
    [InlineData("/api/public/users/987654321987/product_events/", "User not found")]
    [InlineData("/api/public/users/0/product_events/", "User not found")]
    public async Task AnUnknownIntegerIdIsA404ThatPointsToTheCustomIdRoutes(string path, string title)
    {
        using var response = await host.Alpha.GetAsync(path);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(title, problem["title"]!.GetValue<string>());
        Assert.Contains("-by-id/{custom_id}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIntegerIdOfAContactIsNotTakenForAProductNorTheOtherWay()
    {
        var sku = Ids.Product();
        await SendAsync(sku, Ids.User(), "view");
        var listed = Assert.Single((await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Results);

        using var contactAsProduct = await host.Alpha.GetAsync($"/api/public/products/{listed.User}/");
        using var productAsContact = await host.Alpha.GetAsync($"/api/public/users/{listed.Product}/product_events/");
        using var otherApp = await host.Beta.GetAsync($"/api/public/products/{listed.Product}/");

        await Http.AssertProblemAsync(contactAsProduct, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(productAsContact, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(otherApp, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NativeAnswersCarryTheSameIntegerIds()
    {
        var sku = Ids.Product();
        var user = Ids.User();
        using var accepted = await host.Alpha.PostJsonAsync("/api/v1/product-events", Bodies.Event(sku, user));
        var number = (await Http.ReadJsonAsync(accepted))["number"]!.GetValue<long>();

        var listed = Assert.Single((await _client.PageAsync($"/api/public/products-by-id/{sku}/product_events/")).Results);
        var native = await host.Alpha.GetJsonAsync($"/api/v1/products/{sku}/events");
        var contact = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{user}");

        Assert.Equal(number, listed.Id);
        Assert.Equal(number, native["results"]![0]!["number"]!.GetValue<long>());
        Assert.Equal(listed.User, contact["id"]!.GetValue<long>());
    }

    private async Task<long> SendAsync(string sku, string user, string type, JsonObject? data = null)
    {
        var body = new JsonObject { ["user_custom_id"] = user, ["event_type"] = type };
        if (data is not null)
        {
            body["data"] = data;
        }

        return await _client.CreateNewAsync($"/api/public/products-by-id/{sku}/product_event/", body);
    }
}
