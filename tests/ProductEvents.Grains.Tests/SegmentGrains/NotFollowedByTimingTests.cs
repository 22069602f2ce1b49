using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.SegmentGrains;

[Collection(FakeClockCollection.Name)]
public sealed class NotFollowedByTimingTests(FakeClockCluster cluster)
{
    private const string CartNotPurchasedWithinThreeHours =
        """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": "PT3H"}}}""";

    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task AnUnpurchasedCartJoinsOnlyWhenThreeHoursHavePassed()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "abandoned carts", CartNotPurchasedWithinThreeHours);
        var segment = cluster.Segment(app, segmentId);
        var user = ContactRef.User("abandoner");
        var cartAt = cluster.Clock.GetUtcNow();

        await cluster.IngestAsync(app, Cart(app, user, cartAt));

        Assert.Empty(await cluster.Contact(app, user).GetSegmentsAsync());
        cluster.Clock.Advance(TimeSpan.FromHours(3) - OneTick);
        await cluster.InternalContact(app, user).ReevaluateAsync(false);
        Assert.Empty(await cluster.Contact(app, user).GetSegmentsAsync());

        cluster.Clock.Advance(OneTick);

        var joined = await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is not null, "the abandoner to join");
        Assert.Equal(cartAt.AddHours(3), joined!.Since);
        Assert.Equal([new(segmentId, cartAt.AddHours(3))], await cluster.Contact(app, user).GetSegmentsAsync());
    }

    [Fact]
    public async Task ACartPurchasedInTimeNeverJoins()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "abandoned carts", CartNotPurchasedWithinThreeHours);
        var segment = cluster.Segment(app, segmentId);
        var (buyer, abandoner) = (ContactRef.User("buyer"), ContactRef.User("abandoner"));
        var cartAt = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Cart(app, buyer, cartAt), Cart(app, abandoner, cartAt));
        cluster.Clock.Advance(TimeSpan.FromHours(2));
        await cluster.IngestAsync(app, Purchase(app, buyer, cartAt.AddHours(2)));

        cluster.Clock.Advance(TimeSpan.FromHours(1));

        // The abandoner, whose cart was put down at the same instant, shows that the three hours have been acted on.
        await Eventually.ReturnsAsync(() => segment.GetMemberAsync(abandoner), m => m is not null, "the abandoner to join");
        Assert.Null(await segment.GetMemberAsync(buyer));
        Assert.Equal(1, await segment.CountAsync());
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        await cluster.InternalContact(app, buyer).ReevaluateAsync(false);
        Assert.Empty(await cluster.Contact(app, buyer).GetSegmentsAsync());
    }

    [Fact]
    public async Task APurchaseStampedBeforeTheCartDoesNotFollowIt()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "abandoned carts", CartNotPurchasedWithinThreeHours);
        var user = ContactRef.User("earlier-buyer");
        var cartAt = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Cart(app, user, cartAt));
        cluster.Clock.Advance(TimeSpan.FromMinutes(30));
        await cluster.IngestAsync(app, Purchase(app, user, cartAt.AddHours(-1)));

        cluster.Clock.Advance(TimeSpan.FromHours(2.5));

        await Eventually.ReturnsAsync(() => cluster.Segment(app, segmentId).GetMemberAsync(user), m => m is not null, "the contact to join");
    }

    [Fact]
    public async Task ALatePurchaseStampedWithinTheWaitTakesAJoinedContactOut()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "abandoned carts", CartNotPurchasedWithinThreeHours);
        var segment = cluster.Segment(app, segmentId);
        var user = ContactRef.User("late-buyer");
        var cartAt = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Cart(app, user, cartAt));
        cluster.Clock.Advance(TimeSpan.FromHours(3));
        await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is not null, "the contact to join");
        cluster.Clock.Advance(TimeSpan.FromHours(1));

        // Arrives four hours after the cart, but happened one hour after it.
        await cluster.IngestAsync(app, Purchase(app, user, cartAt.AddHours(1)));

        Assert.Empty(await cluster.Contact(app, user).GetSegmentsAsync());
        await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is null, "the contact to leave");
    }

    [Fact]
    public async Task APurchaseOfAnotherProductDoesNotFollowTheCart()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "abandoned carts", CartNotPurchasedWithinThreeHours);
        var user = ContactRef.User("other-product-buyer");
        var cartAt = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Cart(app, user, cartAt));
        cluster.Clock.Advance(TimeSpan.FromHours(1));
        await cluster.IngestAsync(app, Purchase(app, user, cartAt.AddHours(1)) with { ProductId = "p-other" });

        cluster.Clock.Advance(TimeSpan.FromHours(2));

        await Eventually.ReturnsAsync(() => cluster.Segment(app, segmentId).GetMemberAsync(user), m => m is not null, "the contact to join");
    }

    private static ProductEventRecord Cart(string app, ContactRef user, DateTimeOffset at) =>
        Events.Record(appId: app, userId: user.Value, productId: "p-1", type: ProductEventType.AddToCart, timestamp: at);

    private static ProductEventRecord Purchase(string app, ContactRef user, DateTimeOffset at) =>
        Events.Record(appId: app, userId: user.Value, productId: "p-1", type: ProductEventType.Purchase, timestamp: at);

    private static string NewApp() => $"follow-{Guid.NewGuid():N}";
}
