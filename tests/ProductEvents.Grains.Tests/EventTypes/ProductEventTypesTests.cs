using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Tests.EventTypes;

[Trait("Category", "Unit")]
public sealed class ProductEventTypesTests
{
    public static TheoryData<int, string> Table => new()
    {
        { 1, "add to cart" }, { 2, "purchase" }, { 3, "liking" }, { 4, "add to observation" },
        { 5, "order" }, { 6, "reservation" }, { 7, "return" }, { 8, "view" },
        { 9, "click" }, { 10, "detail" }, { 11, "add" }, { 12, "remove" },
        { 13, "checkout" }, { 14, "checkout option" }, { 15, "refund" }, { 16, "promo click" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void EveryTypeHasTheIdAndNameOfTheTable(int id, string name)
    {
        Assert.True(ProductEventTypes.TryFromId(id, out var type));
        Assert.Equal(id, (int)type);
        Assert.Equal(name, ProductEventTypes.Name(type));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void EveryNameParsesInLowerUpperAndUnderscoreSpelling(int id, string name)
    {
        foreach (var spelling in new[] { name, name.ToUpperInvariant(), name.Replace(' ', '_'), name.Replace(' ', '_').ToUpperInvariant() })
        {
            Assert.True(ProductEventTypes.TryParse(spelling, out var type), spelling);
            Assert.Equal(id, (int)type);
        }
    }

    [Fact]
    public void AllListsSixteenTypesInIdOrder()
    {
        Assert.Equal(Enumerable.Range(1, 16), ProductEventTypes.All.Select(t => (int)t));
    }

    [Theory]
    [InlineData("add to cart", ProductEventType.AddToCart)]
    [InlineData("add_to_cart", ProductEventType.AddToCart)]
    [InlineData("ADD_TO_CART", ProductEventType.AddToCart)]
    [InlineData("Add To Cart", ProductEventType.AddToCart)]
    [InlineData("  purchase  ", ProductEventType.Purchase)]
    [InlineData("Promo_Click", ProductEventType.PromoClick)]
    [InlineData("checkout option", ProductEventType.CheckoutOption)]
    [InlineData("checkout", ProductEventType.Checkout)]
    [InlineData("add", ProductEventType.Add)]
    [InlineData("add-to-cart", ProductEventType.AddToCart)]
    [InlineData("Checkout-Option", ProductEventType.CheckoutOption)]
    public void NamesParseInAnyCaseWithSpacesUnderscoresOrHyphens(string text, ProductEventType expected)
    {
        Assert.True(ProductEventTypes.TryParse(text, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("1", ProductEventType.AddToCart)]
    [InlineData("8", ProductEventType.View)]
    [InlineData("16", ProductEventType.PromoClick)]
    [InlineData(" 2 ", ProductEventType.Purchase)]
    public void NumericStringsParseAsIds(string text, ProductEventType expected)
    {
        Assert.True(ProductEventTypes.TryParse(text, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData(1L, ProductEventType.AddToCart)]
    [InlineData(16L, ProductEventType.PromoClick)]
    public void NumericIdsInRangeAreKnown(long id, ProductEventType expected)
    {
        Assert.True(ProductEventTypes.TryFromId(id, out var type));
        Assert.Equal(expected, type);
        Assert.True(ProductEventTypes.IsDefined((int)id));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(17L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void NumericIdsOutOfRangeAreUnknown(long id)
    {
        Assert.False(ProductEventTypes.TryFromId(id, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("-1")]
    [InlineData("addtocart")]
    [InlineData("add+to+cart")]
    [InlineData("buy")]
    [InlineData("viewed")]
    public void UnknownTextIsRefused(string? text)
    {
        Assert.False(ProductEventTypes.TryParse(text, out _));
    }

    [Fact]
    public void AllowedValuesTextListsEveryIdAndName()
    {
        var text = ProductEventTypes.AllowedValuesText;
        foreach (var type in ProductEventTypes.All)
        {
            Assert.Contains($"{(int)type} ({ProductEventTypes.Name(type)})", text, StringComparison.Ordinal);
        }
    }
}
