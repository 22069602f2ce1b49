namespace ProductEvents.Storage.Tests.EventLog;

/// <summary>Several silos making the same new months' partitions at once (the first commits of a month).</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PartitionRaceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ConcurrentCallersMakingTheSamePartitionsAllSucceed()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("partrace");
        for (var year = 2041; year <= 2045; year++)
        {
            var from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);

            // Before the advisory lock, two of these meeting in CREATE TABLE IF NOT EXISTS failed one of them.
            var callers = Enumerable.Range(0, 8).Select(_ => Sql.ExecuteAsync(
                connectionString, "SELECT product_events_ensure_partitions(@from, 12)", ("from", from))).ToArray();
            await Task.WhenAll(callers);

            var made = await Sql.ScalarAsync<long>(
                connectionString,
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'product_events'::regclass AND c.relname LIKE @name",
                ("name", $"product_events_y{year}m%"));
            Assert.Equal(12, made);
        }
    }
}
