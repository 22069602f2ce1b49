using ProductEvents.Abstractions;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class NotFollowedByTests
{
    private const string CartNeverBought = """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"]}}}""";
    private const string CartNotBoughtIn3Hours = """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": "PT3H"}}}""";
    private static readonly DateTimeOffset T = Now.AddHours(-10);

    [Fact]
    public void AnEventWithoutALaterFollowerMatches()
    {
        Assert.True(IsMember(CartNeverBought, Contact(("p-1", ProductEventType.AddToCart, T))));
    }

    [Fact]
    public void AFollowerOnTheSameProductAfterTheEventCancelsIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Purchase, T.AddDays(30)));

        Assert.False(IsMember(CartNeverBought, contact, T.AddDays(31)));
    }

    [Fact]
    public void AFollowerBeforeTheEventDoesNotCancelIt()
    {
        var contact = Contact(("p-1", ProductEventType.Purchase, T.AddMinutes(-1)), ("p-1", ProductEventType.AddToCart, T));

        Assert.True(IsMember(CartNeverBought, contact));
        Assert.True(IsMember(CartNotBoughtIn3Hours, contact));
    }

    [Fact]
    public void AFollowerAtTheSameInstantDoesNotCancelIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Purchase, T));

        Assert.True(IsMember(CartNeverBought, contact));
    }

    [Fact]
    public void AFollowerOnAnotherProductDoesNotCancelIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-2", ProductEventType.Purchase, T.AddMinutes(5)));

        Assert.True(IsMember(CartNeverBought, contact));
    }

    [Fact]
    public void AFollowerOfAnotherTypeDoesNotCancelIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.View, T.AddMinutes(5)));

        Assert.True(IsMember(CartNeverBought, contact));
    }

    [Fact]
    public void AnyOfTheFollowerTypesCancelsIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Order, T.AddMinutes(5)));

        Assert.False(IsMember("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase", "order"]}}}""", contact));
    }

    [Fact]
    public void EachEventIsJudgedOnItsOwn()
    {
        // Added, bought, added again: the second addition is not followed.
        var contact = Contact(
            ("p-1", ProductEventType.AddToCart, T),
            ("p-1", ProductEventType.Purchase, T.AddHours(1)),
            ("p-1", ProductEventType.AddToCart, T.AddHours(2)));

        Assert.True(IsMember("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"]}, "count": {"eq": 1}}}""", contact));
    }

    [Fact]
    public void WithinAnEventDoesNotMatchWhileItsWindowIsOpen()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T));

        Assert.False(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(2)));
        Assert.False(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(3).AddTicks(-1)));
    }

    [Fact]
    public void WithinAnEventMatchesFromTheInstantItsWindowCloses()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T));

        Assert.True(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(3)));
        Assert.True(IsMember(CartNotBoughtIn3Hours, contact, T.AddDays(3)));
    }

    [Fact]
    public void WithinAFollowerExactlyAtTheEndOfTheWindowCancelsIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Purchase, T.AddHours(3)));

        Assert.False(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(4)));
    }

    [Fact]
    public void WithinAFollowerAfterTheWindowDoesNotCancelIt()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Purchase, T.AddHours(3).AddTicks(1)));

        Assert.True(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(4)));
    }

    [Fact]
    public void WithinAFollowerInsideTheWindowCancelsItBeforeAndAfterTheWindowCloses()
    {
        var contact = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Purchase, T.AddHours(1)));

        Assert.False(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(2)));
        Assert.False(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(5)));
    }

    [Fact]
    public void ALateFollowerIsPlacedByItsEventTime()
    {
        // The purchase happened an hour after the cart but reaches us a day later.
        var contact = Contact(("p-1", ProductEventType.AddToCart, T));
        Assert.True(IsMember(CartNotBoughtIn3Hours, contact, T.AddHours(5)));

        var later = Contact(("p-1", ProductEventType.AddToCart, T), ("p-1", ProductEventType.Purchase, T.AddHours(1)));

        Assert.False(IsMember(CartNotBoughtIn3Hours, later, T.AddDays(1)));
    }

    [Fact]
    public void ALateTriggerIsComparedWithFollowersThatArrivedBeforeIt()
    {
        // Arrival order: purchase, then the cart event that happened before it; the purchase follows the cart.
        var followed = Contact(("p-1", ProductEventType.Purchase, T.AddMinutes(30)), ("p-1", ProductEventType.AddToCart, T));
        Assert.False(IsMember(CartNotBoughtIn3Hours, followed, T.AddHours(5)));
        Assert.False(IsMember(CartNeverBought, followed, T.AddHours(5)));

        // A late cart event from after the purchase is not followed by it.
        var notFollowed = Contact(("p-1", ProductEventType.Purchase, T.AddMinutes(30)), ("p-1", ProductEventType.AddToCart, T.AddHours(1)));
        Assert.True(IsMember(CartNotBoughtIn3Hours, notFollowed, T.AddHours(5)));
        Assert.True(IsMember(CartNeverBought, notFollowed, T.AddHours(5)));
    }

    [Fact]
    public void AFollowerOlderThanTheKeptTimesStillCountsThroughTheEntrysFirstTime()
    {
        // The purchase a minute after the cart is no longer among the newest 64 purchase times, but it is the first one.
        var events = new List<(string, ProductEventType, DateTimeOffset)>
        {
            ("p-1", ProductEventType.AddToCart, T.AddDays(-30)),
            ("p-1", ProductEventType.Purchase, T.AddDays(-30).AddMinutes(1)),
        };
        events.AddRange(Enumerable.Range(0, 70).Select(i => ("p-1", ProductEventType.Purchase, T.AddDays(-10).AddMinutes(i))));
        var contact = Contact([.. events]);

        Assert.False(IsMember(CartNotBoughtIn3Hours, contact));
    }

    [Fact]
    public void TheSameTypeCanFollowItself()
    {
        // "The last cart addition": every earlier addition is followed by a later one within the day.
        var contact = Contact(
            ("p-1", ProductEventType.AddToCart, T),
            ("p-1", ProductEventType.AddToCart, T.AddHours(1)),
            ("p-1", ProductEventType.AddToCart, T.AddHours(2)));

        Assert.True(IsMember("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["add to cart"]}, "count": {"eq": 1}}}""", contact));
    }

    [Fact]
    public void NotFollowedByCombinesWithAWindow()
    {
        var contact = Contact(
            ("p-1", ProductEventType.AddToCart, Now.AddDays(-10)),
            ("p-2", ProductEventType.AddToCart, Now.AddDays(-2)));

        Assert.True(IsMember("""{"event": {"types": ["add to cart"], "within": "P7D", "not_followed_by": {"types": ["purchase"], "within": "PT3H"}, "count": {"eq": 1}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["add to cart"], "since": "2026-11-20", "not_followed_by": {"types": ["purchase"]}, "count": {"eq": 1}}}""", contact));
    }
}
