using ProductEvents.Abstractions;
using ProductEvents.Grains.Contacts;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class NextCheckAtTests
{
    private const string ViewedInAWeek = """{"event": {"types": ["view"], "within": "P7D"}}""";
    private const string CartNotBoughtIn3Hours = """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": "PT3H"}}}""";

    [Fact]
    public void WithoutWindowsNothingIsPending()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now.AddDays(-1)));

        Assert.Null(Evaluate("""{"event": {"types": ["view"]}}""", contact).NextCheckAt);
        Assert.Null(Evaluate("""{"event": {"types": ["add to cart"], "within": "P7D"}}""", contact).NextCheckAt);
        Assert.Null(Evaluate("""{"event": {"types": ["view"], "not_followed_by": {"types": ["purchase"]}}}""", contact).NextCheckAt);
    }

    [Fact]
    public void AWindowIsDueJustAfterItsOldestCountedEventLeavesIt()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-2)),
            ("p-2", ProductEventType.View, Now.AddDays(-1)));

        var result = Evaluate(ViewedInAWeek, contact);

        Assert.True(result.IsMember);
        Assert.Equal(Now.AddDays(5).AddTicks(1), result.NextCheckAt);
    }

    [Fact]
    public void FollowingNextCheckAtWalksTheMembershipOutOfTheWindow()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-2)),
            ("p-1", ProductEventType.View, Now.AddDays(-1)));

        var first = Evaluate(ViewedInAWeek, contact);
        var second = Evaluate(ViewedInAWeek, contact, first.NextCheckAt);
        var third = Evaluate(ViewedInAWeek, contact, second.NextCheckAt);

        Assert.Equal((true, Now.AddDays(5).AddTicks(1)), (first.IsMember, first.NextCheckAt));
        Assert.Equal((true, Now.AddDays(6).AddTicks(1)), (second.IsMember, second.NextCheckAt));
        Assert.Equal((false, (DateTimeOffset?)null), (third.IsMember, third.NextCheckAt));
    }

    [Fact]
    public void AnEventExactlyTheWindowOldIsDueOneTickLater()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now.AddDays(-7)));

        var result = Evaluate(ViewedInAWeek, contact);

        Assert.True(result.IsMember);
        Assert.Equal(Now.AddTicks(1), result.NextCheckAt);
    }

    [Fact]
    public void AWindowCountedFromTheWholeEntryIsDueWhenItsFirstEventLeaves()
    {
        var contact = Contact(Enumerable.Range(0, 100).Select(i => ("p-1", ProductEventType.View, Now.AddMinutes(-i))).ToArray());

        var result = Evaluate("""{"event": {"types": ["view"], "within": "PT2H", "count": {"gte": 100}}}""", contact);

        Assert.True(result.IsMember);
        Assert.Equal(Now.AddMinutes(-99).AddHours(2).AddTicks(1), result.NextCheckAt);
    }

    [Fact]
    public void AnOpenNotFollowedByWindowIsDueWhenItCloses()
    {
        var cart = Now.AddHours(-1);
        var contact = Contact(("p-1", ProductEventType.AddToCart, cart));

        var open = Evaluate(CartNotBoughtIn3Hours, contact);
        var closed = Evaluate(CartNotBoughtIn3Hours, contact, open.NextCheckAt);

        Assert.Equal((false, cart.AddHours(3)), (open.IsMember, open.NextCheckAt));
        Assert.Equal((true, (DateTimeOffset?)null), (closed.IsMember, closed.NextCheckAt));
    }

    [Fact]
    public void AFollowedEventIsNotPending()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, Now.AddHours(-1)), ("p-1", ProductEventType.Purchase, Now.AddMinutes(-30)));

        Assert.Equal(new(false, null), Evaluate(CartNotBoughtIn3Hours, contact));
    }

    [Fact]
    public void AClosedNotFollowedByEventInAWindowIsDueWhenItLeavesTheWindow()
    {
        var cart = Now.AddDays(-1);
        var contact = Contact(("p-1", ProductEventType.AddToCart, cart), ("p-2", ProductEventType.AddToCart, Now.AddHours(-1)));

        var result = Evaluate("""{"event": {"types": ["add to cart"], "within": "P2D", "not_followed_by": {"types": ["purchase"], "within": "PT3H"}}}""", contact);

        // p-1 counts and leaves the window after two days; p-2's three hours close first.
        Assert.True(result.IsMember);
        Assert.Equal(Now.AddHours(2), result.NextCheckAt);
    }

    [Fact]
    public void SinceAndUntilDoNotMoveWithTime()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now.AddDays(-1)));

        Assert.Null(Evaluate("""{"event": {"types": ["view"], "since": "2026-11-01", "until": "2026-12-31"}}""", contact).NextCheckAt);
        Assert.Null(Evaluate("""{"event": {"types": ["view"], "since": "2027-01-01"}}""", contact).NextCheckAt);
    }

    [Fact]
    public void ACompositeIsDueAtTheEarliestOfItsChildren()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-6)),
            ("p-1", ProductEventType.Liking, Now.AddDays(-1)));
        const string likedInADay = """{"event": {"types": ["liking"], "within": "P1D"}}""";
        const string purchased = """{"event": {"types": ["purchase"]}}""";

        var all = Evaluate($$"""{"all": [{{ViewedInAWeek}}, {{likedInADay}}, {{purchased}}]}""", contact);
        var any = Evaluate($$"""{"any": [{{ViewedInAWeek}}, {{likedInADay}}]}""", contact);
        var not = Evaluate("""{"not": """ + ViewedInAWeek + "}", contact);

        Assert.Equal((false, Now.AddTicks(1)), (all.IsMember, all.NextCheckAt));
        Assert.Equal((true, Now.AddTicks(1)), (any.IsMember, any.NextCheckAt));
        Assert.Equal((false, Now.AddDays(1).AddTicks(1)), (not.IsMember, not.NextCheckAt));
    }

    [Fact]
    public void AProductThatFailsTheFiltersAddsNothingPending()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now.AddDays(-1)));
        var products = Catalog(Product("p-1", attributes: ("category", AttributeValue.FromString("hats"))));

        var result = Evaluate("""{"event": {"types": ["view"], "within": "P7D", "product": {"category": {"eq": "shoes"}}}}""", contact, products: products);

        Assert.Equal(new(false, null), result);
    }

    [Fact]
    public void AnEmptyContactHasNothingPending()
    {
        Assert.Equal(new(false, null), Evaluate(ViewedInAWeek, new ContactState()));
    }
}
