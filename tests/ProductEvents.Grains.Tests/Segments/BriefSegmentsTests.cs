using ProductEvents.Abstractions;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

/// <summary>The four segments of the product brief, written in the condition language and evaluated.</summary>
[Trait("Category", "Unit")]
public sealed class BriefSegmentsTests
{
    private const string CartWithoutPurchase = """
        {"all": [{"event": {"types": ["add to cart"]}}, {"not": {"event": {"types": ["purchase"]}}}]}
        """;

    private const string CartWithoutPurchasePerProduct = """
        {"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": "PT3H"}}}
        """;

    private const string InterestedInShoes = """
        {"event": {"types": ["view", "detail", "liking"], "product": {"category": {"eq": "shoes"}}}}
        """;

    private const string BoughtDiscountedOrPromotional = """
        {"any": [
          {"event": {"types": ["purchase"], "product": {"discount": {"gt": 0}}}},
          {"event": {"types": ["purchase"], "product": {"promo": {"eq": true}}}}
        ]}
        """;

    private const string PremiumShoeProspects = """
        {"all": [
          {"event": {"types": ["view", "detail", "add to cart"], "within": "P30D", "count": {"gte": 2},
                     "product": {"category": {"in": ["shoes", "boots"]}, "price": {"gte": 100}}}},
          {"not": {"event": {"types": ["purchase"], "within": "P30D", "product": {"category": {"in": ["shoes", "boots"]}}}}}
        ]}
        """;

    private static readonly IReadOnlyDictionary<string, ProductSnapshot> Shop = Catalog(
        Product("runner", "Runner", ("category", AttributeValue.FromString("shoes")), ("price", AttributeValue.FromNumberText("129.00")),
            ("discount", AttributeValue.FromNumberText("0")), ("promo", AttributeValue.False)),
        Product("sandal", "Sandal", ("category", AttributeValue.FromString("shoes")), ("price", AttributeValue.FromNumberText("39.99")),
            ("discount", AttributeValue.FromNumberText("15"))),
        Product("hiker", "Hiker", ("category", AttributeValue.FromString("boots")), ("price", AttributeValue.FromNumberText("189.50")),
            ("promo", AttributeValue.True)),
        Product("cap", "Cap", ("category", AttributeValue.FromString("hats")), ("price", AttributeValue.FromNumberText("15"))));

    [Fact]
    public void CartWithoutPurchaseHoldsUntilTheContactBuysAnything()
    {
        var carted = Contact(("runner", ProductEventType.AddToCart, Now.AddDays(-1)));
        var cartedThenBoughtSomethingElse = Contact(
            ("runner", ProductEventType.AddToCart, Now.AddDays(-1)),
            ("cap", ProductEventType.Purchase, Now.AddHours(-1)));

        Assert.True(IsMember(CartWithoutPurchase, carted));
        Assert.False(IsMember(CartWithoutPurchase, cartedThenBoughtSomethingElse));
        Assert.False(IsMember(CartWithoutPurchase, Contact(("runner", ProductEventType.View, Now))));
    }

    [Fact]
    public void CartWithoutPurchasePerProductLooksAtEachProductAfterThreeHours()
    {
        var added = Now.AddHours(-5);

        // Bought the cap, not the runner that is still in the cart: per product the runner still counts.
        var contact = Contact(
            ("runner", ProductEventType.AddToCart, added),
            ("cap", ProductEventType.AddToCart, added),
            ("cap", ProductEventType.Purchase, added.AddHours(1)));
        Assert.True(IsMember(CartWithoutPurchasePerProduct, contact));
        Assert.False(IsMember(CartWithoutPurchase, contact));

        // Bought the runner within the three hours: nobody is waiting any more.
        var bought = Contact(("runner", ProductEventType.AddToCart, added), ("runner", ProductEventType.Purchase, added.AddHours(2)));
        Assert.False(IsMember(CartWithoutPurchasePerProduct, bought));

        // Added an hour ago: not yet, and due when the three hours are over.
        var recent = Evaluate(CartWithoutPurchasePerProduct, Contact(("runner", ProductEventType.AddToCart, Now.AddHours(-1))));
        Assert.Equal((false, Now.AddHours(2)), (recent.IsMember, recent.NextCheckAt));
    }

    [Fact]
    public void InterestInACategoryComesFromViewsDetailsAndLikes()
    {
        Assert.True(IsMember(InterestedInShoes, Contact(("sandal", ProductEventType.View, Now)), products: Shop));
        Assert.True(IsMember(InterestedInShoes, Contact(("runner", ProductEventType.Detail, Now)), products: Shop));
        Assert.True(IsMember(InterestedInShoes, Contact(("runner", ProductEventType.Liking, Now)), products: Shop));
        Assert.False(IsMember(InterestedInShoes, Contact(("cap", ProductEventType.View, Now)), products: Shop));
        Assert.False(IsMember(InterestedInShoes, Contact(("hiker", ProductEventType.View, Now)), products: Shop));
        Assert.False(IsMember(InterestedInShoes, Contact(("runner", ProductEventType.Purchase, Now)), products: Shop));
    }

    [Fact]
    public void InterestInACategoryFollowsTheProductsCurrentCategory()
    {
        var contact = Contact(("cap", ProductEventType.View, Now));
        var recategorized = Catalog(Product("cap", "Cap", ("category", AttributeValue.FromString("shoes"))));

        Assert.False(IsMember(InterestedInShoes, contact, products: Shop));
        Assert.True(IsMember(InterestedInShoes, contact, products: recategorized));
    }

    [Fact]
    public void DiscountedOrPromotionalPurchases()
    {
        Assert.True(IsMember(BoughtDiscountedOrPromotional, Contact(("sandal", ProductEventType.Purchase, Now)), products: Shop));
        Assert.True(IsMember(BoughtDiscountedOrPromotional, Contact(("hiker", ProductEventType.Purchase, Now)), products: Shop));
        Assert.False(IsMember(BoughtDiscountedOrPromotional, Contact(("runner", ProductEventType.Purchase, Now)), products: Shop));
        Assert.False(IsMember(BoughtDiscountedOrPromotional, Contact(("cap", ProductEventType.Purchase, Now)), products: Shop));
        Assert.False(IsMember(BoughtDiscountedOrPromotional, Contact(("sandal", ProductEventType.View, Now)), products: Shop));
    }

    [Fact]
    public void SalesOutreachCombinesEventTypesWithCategoryAndPrice()
    {
        // Looked twice at premium shoes or boots this month and bought none.
        var prospect = Contact(
            ("runner", ProductEventType.View, Now.AddDays(-3)),
            ("hiker", ProductEventType.Detail, Now.AddDays(-1)),
            ("cap", ProductEventType.Purchase, Now.AddDays(-1)));
        Assert.True(IsMember(PremiumShoeProspects, prospect, products: Shop));

        // Only cheap shoes: the price filter leaves one premium look.
        var bargainHunter = Contact(
            ("sandal", ProductEventType.View, Now.AddDays(-3)),
            ("sandal", ProductEventType.Detail, Now.AddDays(-2)),
            ("runner", ProductEventType.View, Now.AddDays(-1)));
        Assert.False(IsMember(PremiumShoeProspects, bargainHunter, products: Shop));

        // Already bought boots this month.
        var customer = Contact(
            ("runner", ProductEventType.View, Now.AddDays(-3)),
            ("runner", ProductEventType.AddToCart, Now.AddDays(-3)),
            ("hiker", ProductEventType.Purchase, Now.AddDays(-2)));
        Assert.False(IsMember(PremiumShoeProspects, customer, products: Shop));

        // Looked long ago: outside the 30 days.
        var lapsed = Contact(
            ("runner", ProductEventType.View, Now.AddDays(-40)),
            ("hiker", ProductEventType.View, Now.AddDays(-35)));
        Assert.False(IsMember(PremiumShoeProspects, lapsed, products: Shop));
    }
}
