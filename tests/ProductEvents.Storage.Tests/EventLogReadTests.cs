using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
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
        var log = new PostgresEventLog(db, TimeProvider.System, NullLogger<PostgresEventLog>.Instance);
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
            committed.AddRange((await log.AppendAsync(chunk)).Select(o => o.Committed!));
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
        var log = new PostgresEventLog(db, TimeProvider.System, NullLogger<PostgresEventLog>.Instance);
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
    public async Task NewKeysAreThoseTheLogHoldsNothingForBeforeAndOnlyOfTheKindAskedAbout(string kind)
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync($"new_keys_{kind}"));
        IEventLog log = kind == "postgres"
            ? new PostgresEventLog(db, TimeProvider.System, NullLogger<PostgresEventLog>.Instance)
            : new InMemoryEventLog(Microsoft.Extensions.Options.Options.Create(new EventLogOptions()));
        await log.AppendAsync([Record("app", "p1", "u1", null, 1), Record("app", "p2", null, "v1", 2)]);
        await log.AddAliasAsync("app", "v1", "u9");

        var outcomes = await log.AppendAsync([
            Record("app", "p1", "u2", null, 3), Record("app", "p3", "u1", null, 4), Record("app", "p4", null, "v2", 5),
            Record("app", "p2", null, "v1", 6), Record("other", "p1", "u1", null, 7), Record("app", "p3", "u9", null, 8),
            Record("app", "p3", "u2", null, 9),
        ]);
        var commit = outcomes.Select(o => o.Committed!).ToArray();

        var both = await log.FindNewKeysAsync(commit, commit);
        Assert.Equal(
            new[] { GrainKeys.Product("app", "p3"), GrainKeys.Product("app", "p4"), GrainKeys.Product("other", "p1") }.Order(StringComparer.Ordinal),
            both.Products.Order(StringComparer.Ordinal));
        // u9 has no entry of its own, but a merged visitor's history: not new.
        Assert.Equal(
            new[] { GrainKeys.Contact("app", ContactRef.User("u2")), GrainKeys.Contact("app", ContactRef.Visitor("v2")), GrainKeys.Contact("other", ContactRef.User("u1")) }.Order(StringComparer.Ordinal),
            both.Contacts.Order(StringComparer.Ordinal));

        var productsOnly = await log.FindNewKeysAsync(commit.Where(e => e.ProductId == "p3").ToArray(), []);
        Assert.Equal([GrainKeys.Product("app", "p3")], productsOnly.Products);
        Assert.Empty(productsOnly.Contacts);

        var contactsOnly = await log.FindNewKeysAsync([], commit.Where(e => e.UserKey == "v2").ToArray());
        Assert.Empty(contactsOnly.Products);
        Assert.Equal([GrainKeys.Contact("app", ContactRef.Visitor("v2"))], contactsOnly.Contacts);

        var nothing = await log.FindNewKeysAsync([], []);
        Assert.Empty(nothing.Products);
        Assert.Empty(nothing.Contacts);
    }

    [Fact]
    public async Task AnEventIdClaimedByACommitStillInFlightIsAnsweredAsItsDuplicateOnceThatCommits()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("claims"));
        var log = new PostgresEventLog(db, TimeProvider.System, NullLogger<PostgresEventLog>.Instance);
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

        var outcome = Assert.Single(await second);
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
