using ProductEvents.Abstractions;
using ProductEvents.Grains.Segments;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class ProductFilterTests
{
    private static readonly IReadOnlyDictionary<string, ProductSnapshot> Shop = Catalog(
        Product(
            "p-1",
            "Trail Running Shoe",
            ("category", AttributeValue.FromString("shoes")),
            ("price", AttributeValue.FromNumberText("19.90")),
            ("stock", AttributeValue.FromNumberText("3")),
            ("promo", AttributeValue.True),
            ("clearance", AttributeValue.False),
            ("code", AttributeValue.FromString("10")),
            ("size", AttributeValue.FromString("M")),
            ("discount", AttributeValue.Null)));

    [Theory]
    // eq: numbers numerically, strings ordinally, booleans by value, different kinds never equal.
    [InlineData("""{"category": {"eq": "shoes"}}""", true)]
    [InlineData("""{"category": {"eq": "Shoes"}}""", false)]
    [InlineData("""{"category": {"eq": "hats"}}""", false)]
    [InlineData("""{"price": {"eq": 19.9}}""", true)]
    [InlineData("""{"price": {"eq": 19.90}}""", true)]
    [InlineData("""{"price": {"eq": 1.99e1}}""", true)]
    [InlineData("""{"price": {"eq": 20}}""", false)]
    [InlineData("""{"price": {"eq": "19.90"}}""", false)]
    [InlineData("""{"code": {"eq": "10"}}""", true)]
    [InlineData("""{"code": {"eq": 10}}""", false)]
    [InlineData("""{"promo": {"eq": true}}""", true)]
    [InlineData("""{"promo": {"eq": false}}""", false)]
    [InlineData("""{"clearance": {"eq": false}}""", true)]
    [InlineData("""{"promo": {"eq": "true"}}""", false)]
    [InlineData("""{"color": {"eq": "red"}}""", false)]
    [InlineData("""{"discount": {"eq": 0}}""", false)]
    // ne: the negation of eq, so a missing or null attribute passes.
    [InlineData("""{"category": {"ne": "hats"}}""", true)]
    [InlineData("""{"category": {"ne": "shoes"}}""", false)]
    [InlineData("""{"price": {"ne": 19.9}}""", false)]
    [InlineData("""{"code": {"ne": 10}}""", true)]
    [InlineData("""{"promo": {"ne": false}}""", true)]
    [InlineData("""{"color": {"ne": "red"}}""", true)]
    [InlineData("""{"discount": {"ne": 0}}""", true)]
    // in: equal to any of the values.
    [InlineData("""{"category": {"in": ["hats", "shoes"]}}""", true)]
    [InlineData("""{"category": {"in": ["hats", "bags"]}}""", false)]
    [InlineData("""{"price": {"in": [5, 19.9]}}""", true)]
    [InlineData("""{"code": {"in": [10, 11]}}""", false)]
    [InlineData("""{"promo": {"in": [true]}}""", true)]
    [InlineData("""{"color": {"in": ["red"]}}""", false)]
    // lt, lte, gt, gte: numbers numerically (edges included or not), strings ordinally, other pairs false.
    [InlineData("""{"price": {"lt": 20}}""", true)]
    [InlineData("""{"price": {"lt": 19.9}}""", false)]
    [InlineData("""{"price": {"lte": 19.9}}""", true)]
    [InlineData("""{"price": {"lte": 19.89}}""", false)]
    [InlineData("""{"price": {"gt": 19.89}}""", true)]
    [InlineData("""{"price": {"gt": 19.9}}""", false)]
    [InlineData("""{"price": {"gte": 19.9}}""", true)]
    [InlineData("""{"price": {"gte": 19.91}}""", false)]
    [InlineData("""{"stock": {"gt": 2}}""", true)]
    [InlineData("""{"stock": {"lt": 10}}""", true)]
    [InlineData("""{"size": {"lt": "N"}}""", true)]
    [InlineData("""{"size": {"lte": "M"}}""", true)]
    [InlineData("""{"size": {"gt": "L"}}""", true)]
    [InlineData("""{"size": {"gte": "m"}}""", false)]
    [InlineData("""{"code": {"lt": 11}}""", false)]
    [InlineData("""{"price": {"lt": "20"}}""", false)]
    [InlineData("""{"promo": {"gt": 0}}""", false)]
    [InlineData("""{"color": {"lt": 100}}""", false)]
    [InlineData("""{"discount": {"gte": 0}}""", false)]
    // contains: a string attribute containing the text, ignoring case.
    [InlineData("""{"name": {"contains": "running"}}""", true)]
    [InlineData("""{"name": {"contains": "RUNNING SH"}}""", true)]
    [InlineData("""{"name": {"contains": "boot"}}""", false)]
    [InlineData("""{"category": {"contains": "hoe"}}""", true)]
    [InlineData("""{"price": {"contains": "19"}}""", false)]
    [InlineData("""{"color": {"contains": "r"}}""", false)]
    // exists: present with a non-null value.
    [InlineData("""{"category": {"exists": true}}""", true)]
    [InlineData("""{"category": {"exists": false}}""", false)]
    [InlineData("""{"color": {"exists": true}}""", false)]
    [InlineData("""{"color": {"exists": false}}""", true)]
    [InlineData("""{"discount": {"exists": true}}""", false)]
    [InlineData("""{"discount": {"exists": false}}""", true)]
    [InlineData("""{"clearance": {"exists": true}}""", true)]
    [InlineData("""{"name": {"exists": true}}""", true)]
    [InlineData("""{"product_id": {"exists": true}}""", true)]
    [InlineData("""{"product_id": {"exists": false}}""", false)]
    // The product's name and id.
    [InlineData("""{"name": {"eq": "Trail Running Shoe"}}""", true)]
    [InlineData("""{"name": {"eq": "trail running shoe"}}""", false)]
    [InlineData("""{"product_id": {"eq": "p-1"}}""", true)]
    [InlineData("""{"product_id": {"in": ["p-2", "p-1"]}}""", true)]
    [InlineData("""{"product_id": {"ne": "p-1"}}""", false)]
    [InlineData("""{"product_id": {"contains": "P-"}}""", true)]
    // Several filters must all pass.
    [InlineData("""{"category": {"eq": "shoes"}, "price": {"lt": 50}, "promo": {"eq": true}}""", true)]
    [InlineData("""{"category": {"eq": "shoes"}, "price": {"lt": 10}}""", false)]
    public void FiltersReadTheProductsCurrentData(string filters, bool expected)
    {
        var contact = Contact(("p-1", ProductEventType.View, Now));

        Assert.Equal(expected, IsMember("""{"event": {"types": ["view"], "product": """ + filters + "}}", contact, products: Shop));
    }

    [Theory]
    [InlineData("""{"category": {"eq": "shoes"}}""", false)]
    [InlineData("""{"category": {"ne": "shoes"}}""", true)]
    [InlineData("""{"category": {"in": ["shoes"]}}""", false)]
    [InlineData("""{"price": {"lt": 100}}""", false)]
    [InlineData("""{"price": {"gte": 0}}""", false)]
    [InlineData("""{"category": {"contains": "s"}}""", false)]
    [InlineData("""{"category": {"exists": true}}""", false)]
    [InlineData("""{"category": {"exists": false}}""", true)]
    [InlineData("""{"name": {"exists": false}}""", true)]
    [InlineData("""{"name": {"ne": "x"}}""", true)]
    [InlineData("""{"product_id": {"eq": "p-2"}}""", true)]
    [InlineData("""{"product_id": {"exists": true}}""", true)]
    public void AProductWithoutASnapshotHasOnlyItsId(string filters, bool expected)
    {
        var contact = Contact(("p-2", ProductEventType.View, Now));

        Assert.Equal(expected, IsMember("""{"event": {"types": ["view"], "product": """ + filters + "}}", contact, products: Shop));
    }

    [Fact]
    public void AProductWithoutANameDoesNotHaveOne()
    {
        var contact = Contact(("p-3", ProductEventType.View, Now));
        var products = Catalog(Product("p-3"));

        Assert.False(IsMember("""{"event": {"types": ["view"], "product": {"name": {"exists": true}}}}""", contact, products: products));
        Assert.False(IsMember("""{"event": {"types": ["view"], "product": {"name": {"contains": ""}}}}""", contact, products: products));
        Assert.True(IsMember("""{"event": {"types": ["view"], "product": {"name": {"ne": "x"}}}}""", contact, products: products));
    }

    [Fact]
    public void OnlyEventsOnProductsThatPassTheFiltersAreCounted()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now),
            ("p-1", ProductEventType.View, Now.AddMinutes(-1)),
            ("p-4", ProductEventType.View, Now),
            ("p-5", ProductEventType.View, Now));
        var products = Catalog(
            Product("p-1", attributes: ("category", AttributeValue.FromString("shoes"))),
            Product("p-4", attributes: ("category", AttributeValue.FromString("hats"))),
            Product("p-5", attributes: ("category", AttributeValue.FromString("shoes"))));

        Assert.True(IsMember("""{"event": {"types": ["view"], "product": {"category": {"eq": "shoes"}}, "count": {"eq": 3}}}""", contact, products: products));
    }

    [Fact]
    public void AFilterBuiltInCodeWithoutValuesFailsInsteadOfThrowing()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now));
        var condition = new EventCondition([ProductEventType.View], [new ProductFilter("category", FilterOperator.Eq, [])], null, null, null, CountRule.AtLeastOne, null);

        Assert.False(SegmentEvaluator.Evaluate(condition, contact, Shop, Now).IsMember);
    }
}
