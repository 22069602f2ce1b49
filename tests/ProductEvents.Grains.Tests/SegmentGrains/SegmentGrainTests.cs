using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.SegmentGrains;

/// <summary>Membership as an in-cluster .NET client reads it: through the segment, registry and contact grains.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class SegmentGrainTests(FakeClockCluster cluster)
{
    private const string Purchased = """{"event": {"types": ["purchase"]}}""";

    [Fact]
    public async Task ASegmentDefinedAfterTheEventsIsCompleteWhenItIsReady()
    {
        var app = NewApp();
        var now = cluster.Clock.GetUtcNow();
        var buyers = Enumerable.Range(0, 5).Select(i => ContactRef.User($"buyer-{i}")).ToArray();
        foreach (var buyer in buyers)
        {
            await cluster.IngestAsync(app, Events.Record(appId: app, userId: buyer.Value, type: ProductEventType.Purchase, timestamp: now.AddDays(-3)));
        }

        await cluster.IngestAsync(app, Events.Record(appId: app, userId: "viewer", type: ProductEventType.View, timestamp: now.AddDays(-3)));

        var segmentId = await cluster.DefineSegmentAsync(app, "buyers", Purchased);

        var segment = cluster.Segment(app, segmentId);
        Assert.Equal(5, await segment.CountAsync());
        Assert.Equal(buyers, (await segment.ListMembersAsync(null, 10)).Select(m => m.Contact));
        Assert.Null(await segment.GetMemberAsync(ContactRef.User("viewer")));
        Assert.Equal(new SegmentMember(buyers[0], now), await segment.GetMemberAsync(buyers[0]));
        Assert.Equal([new(segmentId, now)], await cluster.Contact(app, buyers[0]).GetSegmentsAsync());
        Assert.Equal(1.0, (await cluster.Registry(app).GetAsync(segmentId))!.Progress);
    }

    [Fact]
    public async Task MembersArePagedInContactKeyOrder()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "buyers", Purchased);
        var users = new[] { "c", "a", "e", "b", "d" };
        foreach (var user in users)
        {
            await cluster.IngestAsync(app, Events.Record(appId: app, userId: user, type: ProductEventType.Purchase, timestamp: cluster.Clock.GetUtcNow()));
        }

        var segment = cluster.Segment(app, segmentId);
        await Eventually.ReturnsAsync(segment.CountAsync, n => n == 5, "five members");

        var first = await segment.ListMembersAsync(null, 2);
        var second = await segment.ListMembersAsync(ContactKeys.Of(first[^1].Contact), 2);
        var third = await segment.ListMembersAsync(ContactKeys.Of(second[^1].Contact), 2);

        Assert.Equal(["a", "b", "c", "d", "e"], first.Concat(second).Concat(third).Select(m => m.Contact.Value));
        Assert.Single(third);
    }

    [Fact]
    public async Task AnEditedSegmentIsRebuiltAndItsMembershipFollowsTheNewCondition()
    {
        var app = NewApp();
        var now = cluster.Clock.GetUtcNow();
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: "buyer", type: ProductEventType.Purchase, timestamp: now));
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: "liker", type: ProductEventType.Liking, timestamp: now));
        var segmentId = await cluster.DefineSegmentAsync(app, "buyers", Purchased);
        var segment = cluster.Segment(app, segmentId);
        Assert.Equal(1, await segment.CountAsync());

        var updated = await cluster.Registry(app).UpdateAsync(segmentId, "likers", """{"event": {"types": ["liking"]}}""");

        Assert.Equal((2, SegmentStatus.Building), (updated!.Segment!.Version, updated.Segment.Status));
        await Eventually.ReturnsAsync(() => cluster.Registry(app).GetAsync(segmentId), s => s!.Status == SegmentStatus.Ready, "the rebuild");
        Assert.NotNull(await segment.GetMemberAsync(ContactRef.User("liker")));
        Assert.Null(await segment.GetMemberAsync(ContactRef.User("buyer")));
        Assert.Equal(1, await segment.CountAsync());
        Assert.Empty(await cluster.Contact(app, ContactRef.User("buyer")).GetSegmentsAsync());
    }

    [Fact]
    public async Task ADeletedSegmentHasNoMembersAndNoContactListsIt()
    {
        var app = NewApp();
        var buyer = ContactRef.User("buyer");
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: buyer.Value, type: ProductEventType.Purchase, timestamp: cluster.Clock.GetUtcNow()));
        var segmentId = await cluster.DefineSegmentAsync(app, "buyers", Purchased);
        Assert.NotEmpty(await cluster.Contact(app, buyer).GetSegmentsAsync());

        Assert.True(await cluster.Registry(app).DeleteAsync(segmentId));

        Assert.Null(await cluster.Registry(app).GetAsync(segmentId));
        Assert.Equal(0, await cluster.Segment(app, segmentId).CountAsync());
        Assert.Empty(await cluster.Contact(app, buyer).GetSegmentsAsync());
    }

    [Fact]
    public async Task AnInvalidDefinitionIsRefusedWithThePathOfEveryProblem()
    {
        var result = await cluster.Registry(NewApp()).CreateAsync("broken", """{"all": [{"event": {"types": ["view"]}}, {"event": {"types": ["buy"], "within": "7d"}}]}""");

        Assert.Null(result.Segment);
        Assert.Equal(["condition.all[1].event.types[0]", "condition.all[1].event.within"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public async Task ManyChangesArrivingTogetherAreAllWrittenAndAContactsLaterChangeWins()
    {
        var app = NewApp();
        var segmentId = await cluster.DefineSegmentAsync(app, "bought, no refund", """{"all": [{"event": {"types": ["purchase"]}}, {"not": {"event": {"types": ["refund"]}}}]}""");
        var now = cluster.Clock.GetUtcNow();
        var buyers = Enumerable.Range(0, 300).Select(i => $"buyer-{i:D3}").ToArray();

        // Contacts evaluating at once: their changes reach the segment while its earlier ones are being written.
        await Task.WhenAll(buyers.Select(b => cluster.IngestAsync(app, Events.Record(appId: app, userId: b, type: ProductEventType.Purchase, timestamp: now))));
        await cluster.IngestAsync(app, Events.Record(appId: app, userId: buyers[0], type: ProductEventType.Refund, timestamp: now));

        var segment = cluster.Segment(app, segmentId);
        await Eventually.ReturnsAsync(async () => (await segment.CountAsync(), await segment.GetMemberAsync(ContactRef.User(buyers[0]))), r => r == (299, null), "299 members without the refunded buyer");
        await segment.FlushAsync();
        var members = new List<SegmentMember>();
        for (string? after = null; ;)
        {
            var page = await segment.ListMembersAsync(after, 100);
            members.AddRange(page);
            if (page.Count < 100)
            {
                break;
            }

            after = ContactKeys.Of(page[^1].Contact);
        }

        Assert.Equal(buyers[1..], members.Select(m => m.Contact.Value));
    }

    private static string NewApp() => $"grains-{Guid.NewGuid():N}";
}
