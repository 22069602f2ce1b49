using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Segments;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PostgresSegmentMembershipStoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _app = $"app-{Guid.NewGuid():N}";
    private NpgsqlDataSource? _dataSource;
    private PostgresSegmentMembershipStore? _store;

    private PostgresSegmentMembershipStore Store => _store!;

    public Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        _store = new PostgresSegmentMembershipStore(_dataSource);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task EveryChangeOfALargeBatchIsVisible()
    {
        var joins = Enumerable.Range(0, 1_500).Select(i => Join($"c{i}", i)).ToList();
        await Store.ApplyAsync(_app, "big", joins);
        var leaves = Enumerable.Range(0, 1_500).Where(i => i % 3 == 0).Select(i => Leave($"c{i}", 10_000 + i)).ToList();

        await Store.ApplyAsync(_app, "big", leaves);

        Assert.Equal(1_000, await Store.CountAsync(_app, "big"));
        for (var i = 0; i < 1_500; i++)
        {
            var member = await Store.GetAsync(_app, "big", ContactRef.User($"c{i}"));
            Assert.Equal(i % 3 == 0 ? null : Start.AddSeconds(i), member?.Since);
        }

        var feed = await Store.ChangesAsync(_app, "big", null, 0, 5_000);
        Assert.Equal(
            joins.Concat(leaves).Select(c => (c.Contact, c.IsMember, c.At)),
            feed.Select(c => (c.Contact, c.Joined, c.At)));
    }

    [Fact]
    public async Task SegmentsWritingAtTheSameMomentEachGetTheirOwnChanges()
    {
        var segments = Enumerable.Range(0, 100).Select(s => $"seg-{s}").ToList();

        // Many segments at once share writes; each keeps exactly its own members and feed, in its own order.
        await Task.WhenAll(segments.Select((segment, s) => Task.Run(() => Store.ApplyAsync(_app, segment,
            [.. Enumerable.Range(0, 20).Select(i => Join($"c{s}-{i}", i)), Leave($"c{s}-0", 100), Join($"c{s}-0", 101)]))));

        foreach (var (segment, s) in segments.Select((segment, s) => (segment, s)))
        {
            var members = await Store.ListAsync(_app, segment, null, 100);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{s}-{i}").Order(StringComparer.Ordinal), members.Select(m => m.Contact.Value));
            Assert.Equal(Start.AddSeconds(101), members.Single(m => m.Contact.Value == $"c{s}-0").Since);
            var feed = await Store.ChangesAsync(_app, segment, null, 0, 100);
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

        await Store.ApplyAsync(_app, "churn", batch);

        Assert.Equal(
            [new SegmentMember(ContactRef.User("a"), Start.AddSeconds(9)), new SegmentMember(ContactRef.User("c"), Start.AddSeconds(7))],
            await Store.ListAsync(_app, "churn", null, 10));
        var feed = await Store.ChangesAsync(_app, "churn", null, 0, 100);
        Assert.Equal(
            batch.Where(c => c.Contact.Value != "never").Select(c => (c.Contact.Value, c.IsMember, c.At)),
            feed.Select(c => (c.Contact.Value, c.Joined, c.At)));
    }

    [Fact]
    public async Task ARedeliveredBatchChangesNothing()
    {
        List<MembershipChange> batch = [Join("a", 1), Join("b", 2), Leave("a", 3), Join("c", 4)];
        await Store.ApplyAsync(_app, "again", batch);
        var feed = await Store.ChangesAsync(_app, "again", null, 0, 100);

        await Store.ApplyAsync(_app, "again", [Join("b", 2), Join("c", 4)]);

        Assert.Equal(["b", "c"], (await Store.ListAsync(_app, "again", null, 10)).Select(m => m.Contact.Value));
        Assert.Equal(feed, await Store.ChangesAsync(_app, "again", null, 0, 100));
    }

    [Fact]
    public async Task ABatchTouchesOnlyItsOwnSegment()
    {
        await Store.ApplyAsync(_app, "one", [Join("a", 1), Join("b", 2)]);

        await Store.ApplyAsync(_app, "two", [Join("a", 3), Leave("b", 4)]);

        Assert.Equal(2, await Store.CountAsync(_app, "one"));
        Assert.Equal(["a"], (await Store.ListAsync(_app, "two", null, 10)).Select(m => m.Contact.Value));
        Assert.Single(await Store.ChangesAsync(_app, "two", null, 0, 100));
    }

    [Fact]
    public async Task TheSegmentsOfEachContactAreReadTogetherAndApart()
    {
        var memory = new InMemorySegmentMembershipStore();
        foreach (var store in new ISegmentMembershipStore[] { Store, memory })
        {
            await store.ApplyAsync(_app, "one", [Join("a", 1), Join("b", 2)]);
            await store.ApplyAsync(_app, "two", [Join("a", 3), Join("b", 4), Leave("b", 5)]);
            await store.ApplyAsync("other-app", "one", [Join("c", 6)]);
            await store.ApplyAsync(_app, "many", [.. Enumerable.Range(0, 300).Select(i => Join($"m{i}", i))]);

            // Asked at the same moment, as the recovery after a start asks.
            var reads = await Task.WhenAll(new[] { "a", "b", "c" }.Concat(Enumerable.Range(0, 300).Select(i => $"m{i}"))
                .Select(user => store.SegmentsOfAsync(_app, ContactRef.User(user))));

            Assert.Equal([("one", Start.AddSeconds(1)), ("two", Start.AddSeconds(3))], reads[0].OrderBy(s => s.Key).Select(s => (s.Key, s.Value)));
            Assert.Equal(["one"], reads[1].Keys);
            Assert.Empty(reads[2]);
            Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(Start.AddSeconds(i), Assert.Single(reads[3 + i]).Value));
        }
    }

    private static MembershipChange Join(string user, int second) => new(ContactRef.User(user), true, Start.AddSeconds(second));

    private static MembershipChange Leave(string user, int second) => new(ContactRef.User(user), false, Start.AddSeconds(second));
}
