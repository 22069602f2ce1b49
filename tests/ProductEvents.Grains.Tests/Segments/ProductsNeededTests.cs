using ProductEvents.Abstractions;
using ProductEvents.Grains.Segments;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class ProductsNeededTests
{
    private static readonly Grains.Contacts.ContactState Shopper = Contact(
        ("p-1", ProductEventType.View, Now),
        ("p-2", ProductEventType.Purchase, Now),
        ("p-3", ProductEventType.Detail, Now),
        ("p-3", ProductEventType.Refund, Now));

    [Fact]
    public void WithoutProductFiltersNoSnapshotIsNeeded()
    {
        Assert.Empty(SegmentEvaluator.ProductsNeeded(Parse("""{"event": {"types": ["view", "purchase"]}}"""), Shopper));
    }

    [Fact]
    public void AFilteredEventNodeNeedsTheProductsWithItsTypes()
    {
        var condition = Parse("""{"event": {"types": ["view", "detail"], "product": {"category": {"eq": "shoes"}}}}""");

        Assert.Equal(["p-1", "p-3"], SegmentEvaluator.ProductsNeeded(condition, Shopper).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AFilterOnTheProductIdAloneNeedsNoSnapshot()
    {
        var condition = Parse("""{"event": {"types": ["view"], "product": {"product_id": {"eq": "p-1"}}}}""");

        Assert.Empty(SegmentEvaluator.ProductsNeeded(condition, Shopper));
    }

    [Fact]
    public void NestedNodesAddTheirProducts()
    {
        var condition = Parse("""
            {"all": [
              {"any": [{"event": {"types": ["view"], "product": {"name": {"contains": "x"}}}}, {"event": {"types": ["liking"]}}]},
              {"not": {"event": {"types": ["purchase"], "product": {"promo": {"eq": true}}}}}
            ]}
            """);

        Assert.Equal(["p-1", "p-2"], SegmentEvaluator.ProductsNeeded(condition, Shopper).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheNeededSnapshotsAreEnoughToEvaluate()
    {
        var condition = Parse("""{"event": {"types": ["detail"], "product": {"category": {"eq": "shoes"}}}}""");
        var all = Catalog(
            Product("p-1", attributes: ("category", AttributeValue.FromString("shoes"))),
            Product("p-2", attributes: ("category", AttributeValue.FromString("shoes"))),
            Product("p-3", attributes: ("category", AttributeValue.FromString("shoes"))));

        var needed = SegmentEvaluator.ProductsNeeded(condition, Shopper);
        var fetched = all.Where(p => needed.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal(SegmentEvaluator.Evaluate(condition, Shopper, all, Now), SegmentEvaluator.Evaluate(condition, Shopper, fetched, Now));
        Assert.True(SegmentEvaluator.Evaluate(condition, Shopper, fetched, Now).IsMember);
    }
}
