using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>
/// The four segments of the product brief, end to end: each is built from the events logged before it was defined, then
/// follows the events that arrive after.
/// </summary>
[Collection(SegmentHostCollection.Name)]
public sealed class BriefSegmentsApiTests(SegmentHostFixture host)
{
    private const string CartNotPurchased = """{"all": [{"event": {"types": ["add to cart"]}}, {"not": {"event": {"types": ["purchase"]}}}]}""";
    private const string CartNotFollowedByPurchase = """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"]}}}""";
    private const string InterestedInShoes = """{"event": {"types": ["view", "detail", "liking"], "product": {"category": {"eq": "shoes"}}}}""";
    private const string DiscountedOrPromotionalBuyers =
        """{"any": [{"event": {"types": ["purchase"], "product": {"discount": {"gt": 0}}}}, {"event": {"types": ["purchase"], "product": {"promo": {"eq": true}}}}]}""";
    private const string MidRangeLaptopShoppers =
        """{"event": {"types": ["view", "add to cart"], "product": {"category": {"eq": "laptops"}, "price": {"gte": 1000, "lte": 2000}}}}""";

    [Fact]
    public async Task CartsWithoutPurchaseAreBuiltFromTheLogThenJoinOnAddToCartAndLeaveOnPurchase()
    {
        var app = host.NewApp();
        var (shoe, hat) = (Ids.Product(), Ids.Product());
        var (abandoner, buyer, split) = (Ids.User(), Ids.User(), Ids.User());
        await app.Api.IngestAsync(Bodies.Event(shoe, abandoner, "add to cart", Bodies.At(0)));
        await app.Api.IngestAsync(Bodies.Event(shoe, buyer, "add to cart", Bodies.At(1)));
        await app.Api.IngestAsync(Bodies.Event(shoe, buyer, "purchase", Bodies.At(2)));

        // Bought one product of the cart and left the other: out of the contact-level segment, in the per-product one.
        await app.Api.IngestAsync(Bodies.Event(shoe, split, "add to cart", Bodies.At(3)));
        await app.Api.IngestAsync(Bodies.Event(hat, split, "add to cart", Bodies.At(4)));
        await app.Api.IngestAsync(Bodies.Event(shoe, split, "purchase", Bodies.At(5)));

        var contactLevel = await app.Api.CreateReadyAsync("cart, no purchase", CartNotPurchased);
        var perProduct = await app.Api.CreateReadyAsync("cart not followed by its purchase", CartNotFollowedByPurchase);

        Assert.Equal([abandoner], await app.Api.AllMembersAsync(contactLevel));
        Assert.Equal(new[] { abandoner, split }.Order(StringComparer.Ordinal), await app.Api.AllMembersAsync(perProduct));

        var shopper = Ids.User();
        await app.Api.IngestAsync(Bodies.Event(hat, shopper, "add to cart"));
        await app.Api.WaitMemberAsync(contactLevel, shopper);
        await app.Api.WaitMemberAsync(perProduct, shopper);

        await app.Api.IngestAsync(Bodies.Event(hat, shopper, "purchase"));
        await app.Api.WaitMemberAsync(contactLevel, shopper, member: false);
        await app.Api.WaitMemberAsync(perProduct, shopper, member: false);

        await app.Api.IngestAsync(Bodies.Event(hat, abandoner, "purchase"));
        await app.Api.WaitMemberAsync(contactLevel, abandoner, member: false);
        Assert.True(await app.Api.IsMemberAsync(perProduct, abandoner));
    }

    [Fact]
    public async Task ContactsInterestedInACategoryAreThoseWhoViewedDetailedOrLikedItsProducts()
    {
        var app = host.NewApp();
        var (shoe, hat) = (Ids.Product(), Ids.Product());
        var (viewer, liker, hatViewer, shoeBuyer) = (Ids.User(), Ids.User(), Ids.User(), Ids.User());
        await app.Api.IngestAsync(Described(shoe, viewer, "view", "shoes"));
        await app.Api.IngestAsync(Described(hat, hatViewer, "view", "hats"));
        await app.Api.IngestAsync(Bodies.Event(shoe, liker, "liking", Bodies.At(10)));
        await app.Api.IngestAsync(Bodies.Event(shoe, shoeBuyer, "purchase", Bodies.At(11)));

        var id = await app.Api.CreateReadyAsync("interested in shoes", InterestedInShoes);

        Assert.Equal(new[] { viewer, liker }.Order(StringComparer.Ordinal), await app.Api.AllMembersAsync(id));

        var detailer = Ids.User();
        await app.Api.IngestAsync(Bodies.Event(shoe, detailer, "detail"));
        await app.Api.IngestAsync(Bodies.Event(hat, shoeBuyer, "liking"));
        await app.Api.WaitMemberAsync(id, detailer);
        Assert.False(await app.Api.IsMemberAsync(id, shoeBuyer));
        Assert.False(await app.Api.IsMemberAsync(id, hatViewer));
    }

    [Fact]
    public async Task BuyersOfDiscountedOrPromotionalProductsAreFoundBeforeAndAfterTheSegmentExists()
    {
        var app = host.NewApp();
        var (discounted, promoted, fullPrice) = (Ids.Product(), Ids.Product(), Ids.Product());
        await app.Api.IngestAsync(With(Bodies.Event(discounted, Ids.User(), "view", Bodies.At(0)), ("discount", 15)));
        await app.Api.IngestAsync(With(Bodies.Event(promoted, Ids.User(), "view", Bodies.At(0)), ("promo", true)));
        await app.Api.IngestAsync(With(Bodies.Event(fullPrice, Ids.User(), "view", Bodies.At(0)), ("discount", 0), ("promo", false)));
        var (discountBuyer, promoViewer, fullPriceBuyer) = (Ids.User(), Ids.User(), Ids.User());
        await app.Api.IngestAsync(Bodies.Event(discounted, discountBuyer, "purchase", Bodies.At(1)));
        await app.Api.IngestAsync(Bodies.Event(promoted, promoViewer, "view", Bodies.At(1)));
        await app.Api.IngestAsync(Bodies.Event(fullPrice, fullPriceBuyer, "purchase", Bodies.At(1)));

        var id = await app.Api.CreateReadyAsync("bargain hunters", DiscountedOrPromotionalBuyers);

        Assert.Equal([discountBuyer], await app.Api.AllMembersAsync(id));

        var promoBuyer = Ids.User();
        await app.Api.IngestAsync(Bodies.Event(promoted, promoBuyer, "purchase"));
        await app.Api.IngestAsync(Bodies.Event(fullPrice, fullPriceBuyer, "purchase"));
        await app.Api.WaitMemberAsync(id, promoBuyer);
        Assert.Equal(new[] { discountBuyer, promoBuyer }.Order(StringComparer.Ordinal), await app.Api.AllMembersAsync(id));
    }

    [Fact]
    public async Task SalesOutreachCombinesEventTypesWithACategoryAndAPriceRange()
    {
        var app = host.NewApp();
        var (midLaptop, entryLaptop, premiumLaptop, phone) = (Ids.Product(), Ids.Product(), Ids.Product(), Ids.Product());
        var (midViewer, premiumViewer, phoneCarter, midBuyer) = (Ids.User(), Ids.User(), Ids.User(), Ids.User());
        await app.Api.IngestAsync(Priced(midLaptop, midViewer, "view", "laptops", 1500));
        await app.Api.IngestAsync(Priced(premiumLaptop, premiumViewer, "view", "laptops", 2500));
        await app.Api.IngestAsync(Priced(phone, phoneCarter, "add to cart", "phones", 1500));
        await app.Api.IngestAsync(Bodies.Event(midLaptop, midBuyer, "purchase", Bodies.At(20)));

        var id = await app.Api.CreateReadyAsync("mid-range laptop shoppers", MidRangeLaptopShoppers);

        Assert.Equal([midViewer], await app.Api.AllMembersAsync(id));
        var condition = (await app.Api.GetJsonAsync($"/api/v1/segments/{id}"))["condition"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MidRangeLaptopShoppers), condition), condition!.ToJsonString());

        // The lower edge of the range counts; an add to cart counts as a view does.
        var edgeCarter = Ids.User();
        await app.Api.IngestAsync(Priced(entryLaptop, edgeCarter, "add to cart", "laptops", 1000));
        await app.Api.IngestAsync(Bodies.Event(premiumLaptop, midBuyer, "add to cart"));
        await app.Api.WaitMemberAsync(id, edgeCarter);
        Assert.Equal(new[] { midViewer, edgeCarter }.Order(StringComparer.Ordinal), await app.Api.AllMembersAsync(id));
    }

    private static JsonObject Described(string productId, string userId, string type, string category) =>
        With(Bodies.Event(productId, userId, type, Bodies.At(0)), ("category", category));

    private static JsonObject Priced(string productId, string userId, string type, string category, int price) =>
        With(Bodies.Event(productId, userId, type, Bodies.At(0)), ("category", category), ("price", price));

    private static JsonObject With(JsonObject body, params (string Name, JsonNode? Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
        {
            body[name] = value;
        }

        return body;
    }
}
