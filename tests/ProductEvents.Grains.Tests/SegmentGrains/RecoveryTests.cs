using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.SegmentGrains;

/// <summary>
/// The re-assertion after a start: a contact compares what it evaluates with the memberships stored for it and sends
/// the differences, so changes a crash lost on their way to the segments are made good.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class RecoveryTests(FakeClockCluster cluster)
{
    [Fact]
    public async Task AReassertingContactRestoresALostJoinAndALostLeave()
    {
        var app = $"recovery-{Guid.NewGuid():N}";
        var viewers = await cluster.DefineSegmentAsync(app, "viewers", """{"event": {"types": ["view"]}}""");
        var buyers = await cluster.DefineSegmentAsync(app, "buyers", """{"event": {"types": ["purchase"]}}""");
        var carts = await cluster.DefineSegmentAsync(app, "carts", """{"event": {"types": ["add_to_cart"]}}""");
        var user = ContactRef.User("recovering");
        var now = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app,
            Events.Record(appId: app, userId: user.Value, type: ProductEventType.View, timestamp: now),
            Events.Record(appId: app, userId: user.Value, type: ProductEventType.AddToCart, timestamp: now));
        await Eventually.ReturnsAsync(() => cluster.Segment(app, viewers).GetMemberAsync(user), m => m is not null, "the viewer to join");
        await Eventually.ReturnsAsync(() => cluster.Segment(app, carts).GetMemberAsync(user), m => m is not null, "the cart to join");

        // As a crash would leave it: the join of the viewers never arrived, and a leave of the buyers was lost.
        await cluster.Memberships.ApplyAsync(app, viewers, [new MembershipChange(user, false, now)]);
        await cluster.Memberships.ApplyAsync(app, buyers, [new MembershipChange(user, true, now)]);
        Assert.Equal(
            new[] { buyers, carts }.Order(),
            (await cluster.Memberships.SegmentsOfAsync(app, user)).Keys.Order());

        await cluster.InternalContact(app, user).ReevaluateAsync(reassert: true);

        var viewer = await Eventually.ReturnsAsync(() => cluster.Segment(app, viewers).GetMemberAsync(user), m => m is not null, "the lost join to be made good");
        Assert.Equal(now, viewer!.Since);
        await Eventually.ReturnsAsync(() => cluster.Segment(app, buyers).GetMemberAsync(user), m => m is null, "the lost leave to be made good");
        Assert.NotNull(await cluster.Segment(app, carts).GetMemberAsync(user));
    }
}
