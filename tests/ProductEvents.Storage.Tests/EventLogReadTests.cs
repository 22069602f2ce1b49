using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// Grains loading at the same moment read their histories with shared statements: every reader still gets exactly
/// its own key's entries after its own position, in log order, and nothing of another app.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class EventLogReadTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ConcurrentReadsOfManyKeysEachGetTheirOwnEntriesAfterTheirPosition()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("log_reads"));
        var log = Postgres(db);
        var events = new List<ProductEventRecord>();
        for (var i = 0; i < 600; i++)
        {
            // 300 users with 1 to 5 entries each, visitors, 7 products, and the same keys in a second app.
            events.Add(Record(i % 2 == 0 ? "app" : "other", $"p-{i % 7}", userId: $"u-{i % 300}", userKey: null, i));
            events.Add(Record("app", $"p-{i % 7}", userId: null, userKey: $"v-{i % 150}", i));
        }

        var committed = new List<ProductEventRecord>();
        foreach (var chunk in events.Chunk(250))
        {
            committed.AddRange((await log.AppendAsync(chunk)).Outcomes.Select(o => o.Committed!));
        }

        var users = Enumerable.Range(0, 300).Select(i => ContactRef.User($"u-{i}"));
        var visitors = Enumerable.Range(0, 150).Select(i => ContactRef.Visitor($"v-{i}"));
        var contactReads = users.Concat(visitors).Select(async contact =>
        {
            var own = committed.Where(e => e.AppId == "app" && e.Contact == contact).OrderBy(e => e.Seq).ToList();
            var after = own.Count > 1 ? own[0].Seq : 0;
            var read = await ToListAsync(log.ReadContactAsync("app", contact, after));
            Assert.Equal(own.Where(e => e.Seq > after).Select(e => (e.Seq, e.ProductId)), read.Select(e => (e.Seq, e.ProductId)));
        });
        var productReads = Enumerable.Range(0, 7).Select(async i =>
        {
            var own = committed.Where(e => e.AppId == "other" && e.ProductId == $"p-{i}").OrderBy(e => e.Seq).ToList();
            var read = await ToListAsync(log.ReadProductAsync("other", $"p-{i}", 0));
            Assert.Equal(own.Select(e => e.Seq), read.Select(e => e.Seq));
            Assert.All(read, e => Assert.Equal(AttributeValue.FromString($"{e.Timestamp.Subtract(T0).TotalSeconds}"), e.Attributes["n"]));
        });
        await Task.WhenAll(contactReads.Concat(productReads));
        Assert.Empty(await ToListAsync(log.ReadContactAsync("app", ContactRef.User("nobody"), 0)));
    }

    [Fact]
    public async Task ConcurrentAliasReadsEachGetTheirOwnVisitorsInTheOrderTheyWereMerged()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("alias_reads"));
        var log = Postgres(db);
        for (var i = 0; i < 40; i++)
        {
            for (var k = 0; k < i % 3; k++)
            {
                await log.AddAliasAsync("app", $"v-{i}-{k}", $"u-{i}");
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            Assert.Equal(Enumerable.Range(0, i % 3).Select(k => $"v-{i}-{k}"), await log.ReadAliasedKeysAsync("app", $"u-{i}"))));
        Assert.Empty(await log.ReadAliasedKeysAsync("other", "u-1"));
    }

    public static TheoryData<string> Logs => ["postgres", "memory"];

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task ACommitAnswersTheKeysTheLogHeldNothingForBeforeIt(string kind)
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync($"new_keys_{kind}"));
        var log = LogOf(kind, db);
        var first = await log.AppendAsync([Record("app", "p1", "u1", null, 1), Record("app", "p2", null, "v1", 2)]);
        AssertKeys([Product("app", "p1"), Product("app", "p2")], first.NewKeys.Products);
        AssertKeys([User("app", "u1"), Visitor("app", "v1")], first.NewKeys.Contacts);
        await log.AddAliasAsync("app", "v1", "u9");

        var second = await log.AppendAsync([
            Record("app", "p1", "u2", null, 3), Record("app", "p3", "u1", null, 4), Record("app", "p4", null, "v2", 5),
            Record("app", "p2", null, "v1", 6), Record("other", "p1", "u1", null, 7), Record("app", "p3", "u9", null, 8),
            Record("app", "p3", "u2", null, 9), Record("app", "p5", "u7", "v7", 10),
        ]);
        AssertKeys([Product("app", "p3"), Product("app", "p4"), Product("app", "p5"), Product("other", "p1")], second.NewKeys.Products);
        // u9 has no entry of its own but a merged visitor's history, and u7 merges a visitor in this very commit: not new.
        AssertKeys([User("app", "u2"), Visitor("app", "v2"), User("other", "u1")], second.NewKeys.Contacts);

        // A new instance (a restarted silo) knows nothing in memory: the log still tells a known key from a new one.
        var later = kind == "postgres" ? Postgres(db) : log;
        var third = await later.AppendAsync([Record("app", "p1", "u1", null, 11), Record("app", "p4", null, "v2", 12), Record("app", "p6", "u2", null, 13)]);
        AssertKeys([Product("app", "p6")], third.NewKeys.Products);
        Assert.Empty(third.NewKeys.Contacts);
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task ADuplicateAddsNoKeys(string kind)
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync($"dup_keys_{kind}"));
        var log = LogOf(kind, db);
        await log.AppendAsync([Record("app", "p1", "u1", null, 1) with { EventId = "order-1" }]);

        // A retry under the same event id that names other keys: a duplicate, so those keys still have no entries.
        var retry = await log.AppendAsync([Record("app", "p2", "u2", null, 2) with { EventId = "order-1" }]);
        Assert.True(Assert.Single(retry.Outcomes).IsDuplicate);
        Assert.Empty(retry.NewKeys.Products);
        Assert.Empty(retry.NewKeys.Contacts);

        var next = await log.AppendAsync([Record("app", "p2", "u2", null, 3)]);
        AssertKeys([Product("app", "p2")], next.NewKeys.Products);
        AssertKeys([User("app", "u2")], next.NewKeys.Contacts);
    }

    private static IEventLog LogOf(string kind, NpgsqlDataSource db) =>
        kind == "postgres" ? Postgres(db) : new InMemoryEventLog(Options.Create(new EventLogOptions()));

    private static PostgresEventLog Postgres(NpgsqlDataSource db) =>
        new(db, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);

    private static string Product(string appId, string id) => GrainKeys.Product(appId, id);

    private static string User(string appId, string id) => GrainKeys.Contact(appId, ContactRef.User(id));

    private static string Visitor(string appId, string id) => GrainKeys.Contact(appId, ContactRef.Visitor(id));

    private static void AssertKeys(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

    [Fact]
    public async Task AnEventIdClaimedByACommitStillInFlightIsAnsweredAsItsDuplicateOnceThatCommits()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("claims"));
        var log = Postgres(db);
        var first = Guid.NewGuid();
        var retry = Record("app", "p1", "u1", null, 2) with { EventId = "order-7" };

        // Another commit (another silo's, say) has claimed the key and not committed yet.
        await using var other = await db.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand(
            "INSERT INTO product_event_ids (app_id, event_id, id, received_at) VALUES ('app', 'order-7', $1, now())", other, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = first });
            await claim.ExecuteNonQueryAsync();
        }

        var second = log.AppendAsync([retry]);

        // The retry's claim waits for the other commit's claim of the same key to commit or roll back.
        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var waiting = db.CreateCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO product_event_ids%'");
                return (long)(await waiting.ExecuteScalarAsync())!;
            },
            waiting => waiting == 1,
            TimeSpan.FromSeconds(10),
            "the retry waits for the first claim");
        Assert.False(second.IsCompleted);
        await transaction.CommitAsync();

        var outcome = Assert.Single((await second).Outcomes);
        Assert.True(outcome.IsDuplicate);
        Assert.Equal(first, outcome.DuplicateOf);
        Assert.Equal(0, await log.CountAsync(AllOf("app")));
    }

    private static EventQuery AllOf(string appId) => new(appId, null, null, null, null, null, null, 100, null);

    private static ProductEventRecord Record(string appId, string productId, string? userId, string? userKey, int n) => new(
        0, Guid.NewGuid(), appId, productId, ProductEventType.View, userId, userKey, null, T0.AddSeconds(n), T0.AddSeconds(n), null,
        new Dictionary<string, AttributeValue> { ["n"] = AttributeValue.FromString($"{n}") }, null);

    private static async Task<List<ProductEventRecord>> ToListAsync(IAsyncEnumerable<ProductEventRecord> entries)
    {
        var list = new List<ProductEventRecord>();
        await foreach (var entry in entries)
        {
            list.Add(entry);
        }

        return list;
    }
}
