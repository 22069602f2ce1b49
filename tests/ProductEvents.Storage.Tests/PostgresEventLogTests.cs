using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// What only the PostgreSQL log has to get right, beyond its contract (Contracts/EventLogContract): claims of event ids
/// by other silos' commits that are still in flight.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresEventLogTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnEventIdClaimedByACommitStillInFlightIsAnsweredAsItsDuplicateOnceThatCommits()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("claims"));
        var log = new PostgresEventLog(db, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);
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
}
