using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Migrations;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Numbers;

/// <summary>
/// An event's integer id is its log position: a repeated event_id is answered with the first event's, in the same
/// commit, in a later one, after a restart, and for claims made before the claims kept positions (deploy/sql/V025).
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class EventNumbersTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds => ["memory", "postgres"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task ARepeatedEventIdIsAnsweredWithTheFirstEventsNumber(string kind)
    {
        await using var db = NpgsqlDataSource.Create(kind == "postgres" ? await postgres.CreateMigratedDatabaseAsync("event_numbers") : postgres.ConnectionString);
        IEventLog log = kind == "postgres" ? Postgres(db) : new InMemoryEventLog(Options.Create(new EventLogOptions()));

        var first = await log.AppendAsync([Record("a", 1), Record("b", 2), Record("a", 3)]);
        var later = await log.AppendAsync([Record(null, 4), Record("b", 5)]);

        var a = first.Outcomes[0].Committed!.Seq;
        var b = first.Outcomes[1].Committed!.Seq;
        Assert.Equal(a, first.Outcomes[0].Number);
        Assert.True(first.Outcomes[2].IsDuplicate);
        Assert.Equal(a, first.Outcomes[2].Number);
        Assert.Equal(later.Outcomes[0].Committed!.Seq, later.Outcomes[0].Number);
        Assert.True(later.Outcomes[1].IsDuplicate);
        Assert.Equal(b, later.Outcomes[1].Number);
        if (kind == "postgres")
        {
            var restarted = await Postgres(db).AppendAsync([Record("a", 6)]);
            Assert.Equal(a, restarted.Outcomes[0].Number);
        }
    }

    [Fact]
    public async Task ClaimsMadeBeforeClaimsKeptPositionsGetTheirEventsPositionFromTheLog()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync("event_numbers_backfill");
        await new SchemaMigrator(connectionString, [.. Migration.Embedded().Where(m => m.Version < 25)]).MigrateAsync();
        await Sql.ExecuteAsync(
            connectionString,
            """
            SELECT product_events_ensure_partitions(now(), 1);
            INSERT INTO product_events (seq, id, app_id, product_id, event_type, user_id, occurred_at, received_at, event_id, attributes)
            VALUES (41, '00000000-0000-0000-0000-000000000041', 'app', 'p1', 1, 'u1', now(), now(), 'order-41', '{}');
            INSERT INTO product_event_ids (app_id, event_id, id, received_at)
            VALUES ('app', 'order-41', '00000000-0000-0000-0000-000000000041', now()),
                   ('app', 'order-gone', '00000000-0000-0000-0000-000000000042', now());
            """);

        await new SchemaMigrator(connectionString).MigrateAsync();

        await using var db = NpgsqlDataSource.Create(connectionString);
        var retried = await Postgres(db).AppendAsync([Record("order-41", 1), Record("order-gone", 2)]);
        Assert.Equal(41, retried.Outcomes[0].Number);

        // The event of this claim is gone from the log (a dropped partition, say): its number is unknown.
        Assert.True(retried.Outcomes[1].IsDuplicate);
        Assert.Null(retried.Outcomes[1].Number);
    }

    private static PostgresEventLog Postgres(NpgsqlDataSource db) =>
        new(db, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);

    private static ProductEventRecord Record(string? eventId, int n) => new(
        0, Guid.NewGuid(), "app", $"p{n}", ProductEventType.View, "u1", null, null, T0.AddSeconds(n), T0.AddSeconds(n), eventId,
        new Dictionary<string, AttributeValue>(), null);
}
