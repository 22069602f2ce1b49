using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="ISegmentMembershipStore"/> does: changes apply idempotently and in batch order, only real
/// changes enter the feed, members list in contact-key order, and every read keeps to its app and segment.
/// </summary>
public abstract class SegmentMembershipStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private ISegmentMembershipStore? _store;

    /// <summary>Unique per test, so a store on a shared database sees only this test's data.</summary>
    protected string App { get; } = $"app-{Guid.NewGuid():N}";

    protected string OtherApp => App + "-other";

    protected ISegmentMembershipStore Store => _store ?? throw new InvalidOperationException("The store has not been created.");

    /// <summary>The store under test.</summary>
    protected abstract Task<ISegmentMembershipStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryChangeOfALargeBatchIsVisible()
    {
        var joins = Enumerable.Range(0, 1_500).Select(i => Join($"c{i}", i)).ToList();
        await Store.ApplyAsync(App, "big", joins);
        var leaves = Enumerable.Range(0, 1_500).Where(i => i % 3 == 0).Select(i => Leave($"c{i}", 10_000 + i)).ToList();

        await Store.ApplyAsync(App, "big", leaves);

        Assert.Equal(1_000, await Store.CountAsync(App, "big"));
        for (var i = 0; i < 1_500; i++)
        {
            var member = await Store.GetAsync(App, "big", ContactRef.User($"c{i}"));
            Assert.Equal(i % 3 == 0 ? null : Start.AddSeconds(i), member?.Since);
        }

        var feed = await Store.ChangesAsync(App, "big", null, 0, 5_000);
        Assert.Equal(
            joins.Concat(leaves).Select(c => (c.Contact, c.IsMember, c.At)),
            feed.Select(c => (c.Contact, c.Joined, c.At)));
    }

    [Fact]
    public async Task SegmentsWritingAtTheSameMomentEachGetTheirOwnChanges()
    {
        var segments = Enumerable.Range(0, 100).Select(s => $"seg-{s}").ToList();

        // Many segments at once (a store may share writes between them); each keeps exactly its own members and feed.
        await Task.WhenAll(segments.Select((segment, s) => Task.Run(() => Store.ApplyAsync(App, segment,
            [.. Enumerable.Range(0, 20).Select(i => Join($"c{s}-{i}", i)), Leave($"c{s}-0", 100), Join($"c{s}-0", 101)]))));

        foreach (var (segment, s) in segments.Select((segment, s) => (segment, s)))
        {
            var members = await Store.ListAsync(App, segment, null, 100);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{s}-{i}").Order(StringComparer.Ordinal), members.Select(m => m.Contact.Value));
            Assert.Equal(Start.AddSeconds(101), members.Single(m => m.Contact.Value == $"c{s}-0").Since);
            var feed = await Store.ChangesAsync(App, segment, null, 0, 100);
            Assert.Equal(22, feed.Count);
            Assert.Equal([false, true], feed.TakeLast(2).Select(c => c.Joined));
        }
    }

    [Fact]
    public async Task AContactChangingSeveralTimesInOneBatchEndsAsItsLastChangeSaysWithEachChangeRecordedInOrder()
    {
        List<MembershipChange> batch =
        [
            Join("a", 1), Join("b", 2), Leave("a", 3), Leave("never", 4), Join("a", 5), Leave("b", 6), Join("c", 7), Leave("a", 8), Join("a", 9),
        ];

        await Store.ApplyAsync(App, "churn", batch);

        Assert.Equal(
            [new SegmentMember(ContactRef.User("a"), Start.AddSeconds(9)), new SegmentMember(ContactRef.User("c"), Start.AddSeconds(7))],
            await Store.ListAsync(App, "churn", null, 10));
        var feed = await Store.ChangesAsync(App, "churn", null, 0, 100);
        Assert.Equal(
            batch.Where(c => c.Contact.Value != "never").Select(c => (c.Contact.Value, c.IsMember, c.At)),
            feed.Select(c => (c.Contact.Value, c.Joined, c.At)));
    }

    [Fact]
    public async Task ARedeliveredBatchChangesNothing()
    {
        List<MembershipChange> batch = [Join("a", 1), Join("b", 2), Leave("a", 3), Join("c", 4)];
        await Store.ApplyAsync(App, "again", batch);
        var feed = await Store.ChangesAsync(App, "again", null, 0, 100);

        await Store.ApplyAsync(App, "again", [Join("b", 2), Join("c", 4)]);

        Assert.Equal(["b", "c"], (await Store.ListAsync(App, "again", null, 10)).Select(m => m.Contact.Value));
        Assert.Equal(feed, await Store.ChangesAsync(App, "again", null, 0, 100));
    }

    [Fact]
    public async Task AJoinOfAMemberKeepsItsFirstSinceAndALeaveOfANonMemberIsNotRecorded()
    {
        await Store.ApplyAsync(App, "seg", [Join("a", 1)]);

        await Store.ApplyAsync(App, "seg", [Join("a", 5), Leave("b", 6)]);
        await Store.ApplyAsync(App, "seg", [Leave("b", 7)]);

        Assert.Equal(new SegmentMember(ContactRef.User("a"), Start.AddSeconds(1)), await Store.GetAsync(App, "seg", ContactRef.User("a")));
        Assert.Null(await Store.GetAsync(App, "seg", ContactRef.User("b")));
        Assert.Equal(1, await Store.CountAsync(App, "seg"));
        var change = Assert.Single(await Store.ChangesAsync(App, "seg", null, 0, 100));
        Assert.Equal((ContactRef.User("a"), true, Start.AddSeconds(1)), (change.Contact, change.Joined, change.At));
    }

    [Fact]
    public async Task ABatchTouchesOnlyItsOwnSegment()
    {
        await Store.ApplyAsync(App, "one", [Join("a", 1), Join("b", 2)]);

        await Store.ApplyAsync(App, "two", [Join("a", 3), Leave("b", 4)]);

        Assert.Equal(2, await Store.CountAsync(App, "one"));
        Assert.Equal(["a"], (await Store.ListAsync(App, "two", null, 10)).Select(m => m.Contact.Value));
        Assert.Single(await Store.ChangesAsync(App, "two", null, 0, 100));
    }

    [Fact]
    public async Task TheSameSegmentIdInAnotherAppIsAnotherSegment()
    {
        await Store.ApplyAsync(App, "seg", [Join("a", 1), Join("b", 2)]);

        await Store.ApplyAsync(OtherApp, "seg", [Join("a", 3), Leave("b", 4), Join("c", 5)]);

        Assert.Equal(["a", "b"], (await Store.ListAsync(App, "seg", null, 10)).Select(m => m.Contact.Value));
        Assert.Equal(Start.AddSeconds(1), (await Store.GetAsync(App, "seg", ContactRef.User("a")))?.Since);
        Assert.Null(await Store.GetAsync(App, "seg", ContactRef.User("c")));
        Assert.Equal(2, await Store.CountAsync(App, "seg"));
        Assert.Equal(2, await Store.CountAsync(OtherApp, "seg"));
        Assert.Equal(2, (await Store.ChangesAsync(App, "seg", null, 0, 100)).Count);
        Assert.Equal(Start.AddSeconds(1), Assert.Single(await Store.SegmentsOfAsync(App, ContactRef.User("a"))).Value);
    }

    [Fact]
    public async Task AUserAndAVisitorWithTheSameValueAreDifferentMembers()
    {
        await Store.ApplyAsync(App, "seg", [Join("same", 1), new MembershipChange(ContactRef.Visitor("same"), true, Start.AddSeconds(2))]);

        await Store.ApplyAsync(App, "seg", [Leave("same", 3)]);

        Assert.Null(await Store.GetAsync(App, "seg", ContactRef.User("same")));
        Assert.Equal(new SegmentMember(ContactRef.Visitor("same"), Start.AddSeconds(2)), await Store.GetAsync(App, "seg", ContactRef.Visitor("same")));
        Assert.Empty(await Store.SegmentsOfAsync(App, ContactRef.User("same")));
        Assert.Equal(["seg"], (await Store.SegmentsOfAsync(App, ContactRef.Visitor("same"))).Keys);
    }

    [Fact]
    public async Task MembersAreListedInContactKeyOrderVisitorsFirstAndPagedAfterAKey()
    {
        await Store.ApplyAsync(App, "seg", [
            Join("b", 1), Join("a", 2), new MembershipChange(ContactRef.Visitor("z"), true, Start.AddSeconds(3)), Join("c", 4),
            new MembershipChange(ContactRef.Visitor("m"), true, Start.AddSeconds(5)),
        ]);

        var first = await Store.ListAsync(App, "seg", null, 2);
        var second = await Store.ListAsync(App, "seg", ContactKeys.Of(first[^1].Contact), 2);
        var third = await Store.ListAsync(App, "seg", ContactKeys.Of(second[^1].Contact), 2);
        var past = await Store.ListAsync(App, "seg", ContactKeys.Of(third[^1].Contact), 2);

        Assert.Equal([ContactRef.Visitor("m"), ContactRef.Visitor("z")], first.Select(m => m.Contact));
        Assert.Equal([ContactRef.User("a"), ContactRef.User("b")], second.Select(m => m.Contact));
        Assert.Equal([new SegmentMember(ContactRef.User("c"), Start.AddSeconds(4))], third);
        Assert.Empty(past);
    }

    [Fact]
    public async Task ChangesArePagedByNumberAndFilteredByTheirTime()
    {
        await Store.ApplyAsync(App, "seg", [Join("a", 1), Join("b", 2)]);
        await Store.ApplyAsync(App, "seg", [Join("c", 3), Leave("a", 4)]);

        var first = await Store.ChangesAsync(App, "seg", null, 0, 2);
        var rest = await Store.ChangesAsync(App, "seg", null, first[^1].Number, 10);
        var since = await Store.ChangesAsync(App, "seg", Start.AddSeconds(3), 0, 10);

        Assert.Equal([("a", true), ("b", true)], first.Select(c => (c.Contact.Value, c.Joined)));
        Assert.Equal([("c", true), ("a", false)], rest.Select(c => (c.Contact.Value, c.Joined)));
        var numbers = first.Concat(rest).Select(c => c.Number).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(4, numbers.Distinct().Count());
        Assert.Equal(rest, since);
        Assert.Empty(await Store.ChangesAsync(App, "seg", null, rest[^1].Number, 10));
    }

    [Fact]
    public async Task DeletingASegmentRemovesItsMembersAndItsChangesOnly()
    {
        await Store.ApplyAsync(App, "gone", [Join("a", 1), Join("b", 2)]);
        await Store.ApplyAsync(App, "kept", [Join("a", 3)]);
        await Store.ApplyAsync(OtherApp, "gone", [Join("a", 4)]);

        await Store.DeleteSegmentAsync(App, "gone");
        await Store.DeleteSegmentAsync(App, "never-existed");

        Assert.Equal(0, await Store.CountAsync(App, "gone"));
        Assert.Empty(await Store.ListAsync(App, "gone", null, 10));
        Assert.Empty(await Store.ChangesAsync(App, "gone", null, 0, 10));
        Assert.Null(await Store.GetAsync(App, "gone", ContactRef.User("a")));
        Assert.Equal(["kept"], (await Store.SegmentsOfAsync(App, ContactRef.User("a"))).Keys);
        Assert.Equal(1, await Store.CountAsync(OtherApp, "gone"));
        Assert.Single(await Store.ChangesAsync(OtherApp, "gone", null, 0, 10));

        // A segment of the same id made again starts empty: its first joins are changes again.
        await Store.ApplyAsync(App, "gone", [Join("a", 10)]);
        Assert.Equal(Start.AddSeconds(10), (await Store.GetAsync(App, "gone", ContactRef.User("a")))?.Since);
        Assert.Single(await Store.ChangesAsync(App, "gone", null, 0, 10));
    }

    [Fact]
    public async Task AnUnknownSegmentHasNoMembersAndNoChanges()
    {
        await Store.ApplyAsync(App, "seg", []);

        Assert.Equal(0, await Store.CountAsync(App, "unknown"));
        Assert.Empty(await Store.ListAsync(App, "unknown", null, 10));
        Assert.Empty(await Store.ChangesAsync(App, "unknown", null, 0, 10));
        Assert.Null(await Store.GetAsync(App, "unknown", ContactRef.User("a")));
        Assert.Equal(0, await Store.CountAsync(App, "seg"));
        Assert.Empty(await Store.SegmentsOfAsync(App, ContactRef.User("a")));
    }

    [Fact]
    public async Task TheSegmentsOfEachContactAreReadTogetherAndApart()
    {
        await Store.ApplyAsync(App, "one", [Join("a", 1), Join("b", 2)]);
        await Store.ApplyAsync(App, "two", [Join("a", 3), Join("b", 4), Leave("b", 5)]);
        await Store.ApplyAsync(OtherApp, "one", [Join("c", 6)]);
        await Store.ApplyAsync(App, "many", [.. Enumerable.Range(0, 300).Select(i => Join($"m{i}", i))]);

        // Asked at the same moment, as the recovery after a start asks.
        var reads = await Task.WhenAll(new[] { "a", "b", "c" }.Concat(Enumerable.Range(0, 300).Select(i => $"m{i}"))
            .Select(user => Store.SegmentsOfAsync(App, ContactRef.User(user))));

        Assert.Equal([("one", Start.AddSeconds(1)), ("two", Start.AddSeconds(3))], reads[0].OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)));
        Assert.Equal(["one"], reads[1].Keys);
        Assert.Empty(reads[2]);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(Start.AddSeconds(i), Assert.Single(reads[3 + i]).Value));
    }

    [Fact]
    public async Task ErasedContactsLeaveEverySegmentWithOneErasedLeaveAndTheirEarlierChangesGo()
    {
        var visitor = new MembershipChange(ContactRef.Visitor("v"), true, Start.AddSeconds(3));
        await Store.ApplyAsync(App, "one", [Join("a", 1), Join("b", 2), visitor]);
        await Store.ApplyAsync(App, "two", [Join("a", 4), Leave("a", 5)]);
        await Store.ApplyAsync(OtherApp, "one", [Join("a", 6)]);

        var ended = await Store.EraseContactsAsync(App, [ContactRef.User("a"), ContactRef.Visitor("v")], Start.AddSeconds(10));
        var again = await Store.EraseContactsAsync(App, [ContactRef.User("a"), ContactRef.Visitor("v")], Start.AddSeconds(11));

        Assert.Equal((2, 0), (ended, again));
        Assert.Equal(["b"], (await Store.ListAsync(App, "one", null, 10)).Select(m => m.Contact.Value));
        var one = await Store.ChangesAsync(App, "one", null, 0, 10);
        Assert.Equal(
            [("b", true, false), ("a", false, true), ("v", false, true)],
            one.Select(c => (c.Contact.Value, c.Joined, c.Erased)).OrderBy(c => c.Erased).ThenBy(c => c.Value));
        Assert.All(one.Where(c => c.Erased), c => Assert.Equal(Start.AddSeconds(10), c.At));
        Assert.Empty(await Store.ChangesAsync(App, "two", null, 0, 10));
        Assert.Equal(["one"], (await Store.ChangesOfAsync(App, ContactRef.User("a"), 10)).Select(c => c.SegmentId));
        Assert.NotNull(await Store.GetAsync(OtherApp, "one", ContactRef.User("a")));
    }

    protected static MembershipChange Join(string user, int second) => new(ContactRef.User(user), true, Start.AddSeconds(second));

    protected static MembershipChange Leave(string user, int second) => new(ContactRef.User(user), false, Start.AddSeconds(second));
}
