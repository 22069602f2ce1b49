using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.SegmentGrains;

[Collection(FakeClockCollection.Name)]
public sealed class WindowExpiryTests(FakeClockCluster cluster)
{
    private const string ViewedWithinAWeek = """{"event": {"types": ["view"], "within": "P7D"}}""";

    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task AViewerLeavesViewedWithinSevenDaysWhenTheClockPassesSevenDaysWithoutAnyEvent()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "viewed this week", ViewedWithinAWeek);
        var segment = cluster.Segment(app, segmentId);
        var (early, later) = (ContactRef.User("early"), ContactRef.User("later"));
        var viewedAt = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: early.Value, timestamp: viewedAt));
        cluster.Clock.Advance(TimeSpan.FromDays(1));
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: later.Value, timestamp: viewedAt.AddDays(1)));

        var joined = await Eventually.ReturnsAsync(() => segment.GetMemberAsync(early), m => m is not null, "the early viewer to join");
        Assert.Equal(viewedAt, joined!.Since);
        await Eventually.ReturnsAsync(segment.CountAsync, n => n == 2, "both viewers to join");

        // Exactly seven days old still counts.
        cluster.Clock.Advance(TimeSpan.FromDays(6));
        await cluster.InternalContact(app, early).ReevaluateAsync(false);
        Assert.Equal([segmentId], (await cluster.Contact(app, early).GetSegmentsAsync()).Select(s => s.SegmentId));

        // One tick later, and with no event and no call, the contact's window timer takes it out.
        cluster.Clock.Advance(OneTick);

        await Eventually.ReturnsAsync(() => segment.GetMemberAsync(early), m => m is null, "the early viewer to leave");
        Assert.Empty(await cluster.Contact(app, early).GetSegmentsAsync());
        Assert.NotNull(await segment.GetMemberAsync(later));
        Assert.Equal(1, await segment.CountAsync());

        cluster.Clock.Advance(TimeSpan.FromDays(1));

        await Eventually.ReturnsAsync(segment.CountAsync, n => n == 0, "the later viewer to leave a day after");
        Assert.Empty(await cluster.Contact(app, later).GetSegmentsAsync());
    }

    [Fact]
    public async Task ALateViewCountsFromItsEventTimeNotFromItsArrival()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "viewed this week", ViewedWithinAWeek);
        var segment = cluster.Segment(app, segmentId);
        var user = ContactRef.User("late-viewer");
        var now = cluster.Clock.GetUtcNow();

        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, timestamp: now.AddDays(-8)));

        Assert.Empty(await cluster.Contact(app, user).GetSegmentsAsync());

        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, timestamp: now.AddDays(-6)));

        Assert.Equal([segmentId], (await cluster.Contact(app, user).GetSegmentsAsync()).Select(s => s.SegmentId));
        var joined = await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is not null, "the late viewer to join");
        Assert.Equal(now, joined!.Since);

        // The view stamped six days ago leaves the window one day (and a tick) from now, not seven days after it arrived.
        cluster.Clock.Advance(TimeSpan.FromDays(1));
        await cluster.InternalContact(app, user).ReevaluateAsync(false);
        Assert.NotEmpty(await cluster.Contact(app, user).GetSegmentsAsync());

        cluster.Clock.Advance(OneTick);

        await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is null, "the late viewer to leave");
        Assert.Empty(await cluster.Contact(app, user).GetSegmentsAsync());
    }

    [Fact]
    public async Task ANewViewKeepsAContactInTheWindowPastItsFirstViewsExpiry()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "viewed this week", ViewedWithinAWeek);
        var segment = cluster.Segment(app, segmentId);
        var user = ContactRef.User("returning-viewer");
        var first = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, productId: "p-1", timestamp: first));
        cluster.Clock.Advance(TimeSpan.FromDays(5));
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, productId: "p-2", timestamp: first.AddDays(5)));

        cluster.Clock.Advance(TimeSpan.FromDays(2) + OneTick);
        await cluster.InternalContact(app, user).ReevaluateAsync(false);

        Assert.Equal([segmentId], (await cluster.Contact(app, user).GetSegmentsAsync()).Select(s => s.SegmentId));
        Assert.Equal(first, (await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is not null, "the viewer to be a member"))!.Since);

        cluster.Clock.Advance(TimeSpan.FromDays(5));

        await Eventually.ReturnsAsync(() => segment.GetMemberAsync(user), m => m is null, "the viewer to leave when the second view is a week old");
    }

    [Fact]
    public async Task AContactThatIsNotActiveLeavesItsWindowsOnTimeThroughItsWindowChecks()
    {
        var app = NewApp();
        var week = cluster.Segment(app, await cluster.DefineSegmentAsync(app, "viewed this week", ViewedWithinAWeek));
        var tenDays = cluster.Segment(app, await cluster.DefineSegmentAsync(app, "viewed in ten days", """{"event": {"types": ["view"], "within": "P10D"}}"""));
        var user = ContactRef.User("quiet-viewer");
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, timestamp: cluster.Clock.GetUtcNow()));
        await Eventually.ReturnsAsync(() => week.GetMemberAsync(user), m => m is not null, "the viewer to join the week");
        await Eventually.ReturnsAsync(() => tenDays.GetMemberAsync(user), m => m is not null, "the viewer to join the ten days");

        // No contact grain is active, so no timer: only the stored check brings the contact back when the week ends.
        await cluster.DeactivateContactsAsync();
        cluster.Clock.Advance(TimeSpan.FromDays(7) + OneTick);

        await Eventually.ReturnsAsync(() => week.GetMemberAsync(user), m => m is null, "the viewer to leave the week");
        Assert.NotNull(await tenDays.GetMemberAsync(user));

        // Brought back by its check, the contact wrote its next one (the ten days) while that check was being done.
        await cluster.DeactivateContactsAsync();
        cluster.Clock.Advance(TimeSpan.FromDays(3));

        await Eventually.ReturnsAsync(() => tenDays.GetMemberAsync(user), m => m is null, "the viewer to leave the ten days");
        Assert.Empty(await cluster.Contact(app, user).GetSegmentsAsync());
    }

    [Fact]
    public async Task AnInactiveContactWhoseWindowAViewPushedOutStaysUntilTheLaterExpiryAndLeavesThen()
    {
        var app = NewApp();
        var week = cluster.Segment(app, await cluster.DefineSegmentAsync(app, "viewed this week", ViewedWithinAWeek));
        var user = ContactRef.User("pushed-out-viewer");
        var first = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, productId: "p-1", timestamp: first));
        cluster.Clock.Advance(TimeSpan.FromDays(3));
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: user.Value, productId: "p-2", timestamp: first.AddDays(3)));
        await Eventually.ReturnsAsync(() => week.GetMemberAsync(user), m => m is not null, "the viewer to join the week");

        // The stored check still says the first view's expiry (a later one is not written per event): it brings the
        // contact back at day 7, which stays, writes day 10 and leaves then.
        await cluster.DeactivateContactsAsync();
        cluster.Clock.Advance(TimeSpan.FromDays(4) + OneTick);
        await cluster.WaitForActiveContactsAsync();
        Assert.NotNull(await week.GetMemberAsync(user));

        await cluster.DeactivateContactsAsync();
        cluster.Clock.Advance(TimeSpan.FromDays(3));
        await Eventually.ReturnsAsync(() => week.GetMemberAsync(user), m => m is null, "the viewer to leave when the second view is a week old");
    }

    private static string NewApp() => $"windows-{Guid.NewGuid():N}";
}
