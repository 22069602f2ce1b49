using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// What only the PostgreSQL log has to get right, beyond its contract (Contracts/EventLogContract): claims of event ids
/// by other silos' commits that are still in flight, and the fence between the log's writers.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresEventLogTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnEventIdClaimedByACommitStillInFlightIsAnsweredAsItsDuplicateOnceThatCommits()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("claims"));
        var log = Log(db);
        var first = Guid.NewGuid();
        var retry = Record("app", "p1", "u1", null, 2) with { EventId = "order-7" };

        // Another commit (another silo's, say) has claimed the key and not committed yet.
        await using var other = await db.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await ClaimAsync(transaction, "order-7", first);

        var second = log.AppendAsync([retry]);

        // The retry's claim waits for the other commit's claim of the same key to commit or roll back.
        await WaitForSessionsWaitingAsync(db, "transactionid", 1);
        Assert.False(second.IsCompleted);
        await transaction.CommitAsync();

        var outcome = Assert.Single((await second).Outcomes);
        Assert.True(outcome.IsDuplicate);
        Assert.Equal(first, outcome.DuplicateOf);
        Assert.Equal(0, await log.CountAsync(AllOf("app")));
    }

    [Fact]
    public async Task AWriterTakenOverFromCommitsNothingMoreAndTheNewWritersPositionsFollowEveryCommittedOne()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("fence");
        // Two writers as two processes hold them: each with its own connections.
        await using var oldDb = NpgsqlDataSource.Create(connectionString);
        await using var newDb = NpgsqlDataSource.Create(connectionString);
        var old = Log(oldDb);
        var newer = Log(newDb);

        var first = await old.TakeOverAsync("silo-a");
        var committed = Assert.Single((await old.AppendAsync([Record("app", "p1", "u1", null, 1)])).Outcomes).Committed!;
        var second = await newer.TakeOverAsync("silo-b");
        Assert.Equal(first.Epoch + 1, second.Epoch);

        var fenced = await Assert.ThrowsAsync<EventLogFencedException>(
            () => old.AppendAsync([Record("app", "p1", "u1", null, 2), Record("app", "p2", "u2", null, 3) with { EventId = "order-8" }]));
        Assert.Equal(first.Epoch, fenced.Epoch);
        Assert.Equal(1, await old.CountAsync(AllOf("app")));

        // The event id the fenced commit carried is not taken: the new writer commits it.
        var next = Assert.Single((await newer.AppendAsync([Record("app", "p2", "u2", null, 3) with { EventId = "order-8" }])).Outcomes);
        Assert.False(next.IsDuplicate);
        Assert.True(next.Committed!.Seq > committed.Seq);

        // What the old writer records as applied is ignored; what the new one records, a later takeover reads.
        await old.RecordAppliedAsync(next.Committed.Seq + 1_000);
        await newer.RecordAppliedAsync(committed.Seq);
        Assert.Equal(committed.Seq, (await Log(oldDb).TakeOverAsync("silo-c")).AppliedThrough);
    }

    [Fact]
    public async Task ATakeoverWaitsForTheCommitInFlightOfTheWriterBeforeIt()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("fence_in_flight");
        await using var oldDb = NpgsqlDataSource.Create(connectionString);
        await using var newDb = NpgsqlDataSource.Create(connectionString);
        var old = Log(oldDb);
        var newer = Log(newDb);
        await old.TakeOverAsync("silo-a");

        // The old writer's commit is held inside its transaction (past the fence's check) by another claim of its key.
        await using var other = await newDb.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await ClaimAsync(transaction, "order-9", Guid.NewGuid());

        var inFlight = old.AppendAsync([Record("app", "p1", "u1", null, 1), Record("app", "p2", "u2", null, 2) with { EventId = "order-9" }]);
        await WaitForSessionsWaitingAsync(newDb, "transactionid", 1);
        var takeover = newer.TakeOverAsync("silo-b");

        // The takeover waits on the lock the commit in flight holds shared, and ends only after that commit has.
        await WaitForSessionsWaitingAsync(newDb, "advisory", 1);
        Assert.False(takeover.IsCompleted);
        await transaction.RollbackAsync();
        var outcomes = (await inFlight).Outcomes;
        Assert.All(outcomes, outcome => Assert.NotNull(outcome.Committed));
        await takeover;
        Assert.Equal(2, await newer.CountAsync(AllOf("app")));
        await Assert.ThrowsAsync<EventLogFencedException>(() => old.AppendAsync([Record("app", "p1", "u1", null, 3)]));
    }

    /// <summary>Claims an event id of app "app" as another silo's commit does, in a transaction the test ends.</summary>
    private static async Task ClaimAsync(NpgsqlTransaction transaction, string eventId, Guid id)
    {
        await using var claim = new NpgsqlCommand(
            "INSERT INTO product_event_ids (app_id, event_id, id, received_at) VALUES ('app', $1, $2, now())", transaction.Connection, transaction);
        claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
        claim.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await claim.ExecuteNonQueryAsync();
    }

    private static Task WaitForSessionsWaitingAsync(NpgsqlDataSource db, string waitEvent, long sessions) =>
        Eventually.ReturnsAsync(
            async () =>
            {
                await using var waiting = db.CreateCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = $1 AND datname = current_database()");
                waiting.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waitEvent });
                return (long)(await waiting.ExecuteScalarAsync())!;
            },
            count => count == sessions,
            TimeSpan.FromSeconds(10),
            $"{sessions} session(s) waiting on a lock of type {waitEvent}");

    private static PostgresEventLog Log(NpgsqlDataSource db) =>
        new(db, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);

    private static EventQuery AllOf(string appId) => new(appId, null, null, null, null, null, null, 100, null);

    private static ProductEventRecord Record(string appId, string productId, string? userId, string? userKey, int n) => new(
        0, Guid.NewGuid(), appId, productId, ProductEventType.View, userId, userKey, null, T0.AddSeconds(n), T0.AddSeconds(n), null,
        new Dictionary<string, AttributeValue> { ["n"] = AttributeValue.FromString($"{n}") }, null);
}
