using Microsoft.Extensions.Logging;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Keeps the log's monthly partitions ready for the month of a time and the next two. The append path asks before each
/// commit (so no append ever meets a missing partition); <see cref="EventLogPartitionUpkeep"/> asks ahead of time, so the
/// append path normally finds them made.
/// </summary>
internal sealed class PostgresLogPartitions(NpgsqlDataSource dataSource, ILogger logger)
{
    private const int MonthsAhead = 3;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// First days of the months known to have their partition and the next one's. A set, not a bound: the upkeep asks
    /// for the clock's month while appends bring their entries' times, which need not be later.
    /// </summary>
    private volatile HashSet<DateTimeOffset> _ready = [];

    public async Task EnsureAsync(DateTimeOffset latest, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(latest.Year, latest.Month, 1, 0, 0, 0, TimeSpan.Zero);
        if (_ready.Contains(from))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready.Contains(from))
            {
                return;
            }

            await using var command = dataSource.CreateCommand($"SELECT product_events_ensure_partitions($1, {MonthsAhead})");
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            await command.ExecuteNonQueryAsync(cancellationToken);
            _ready = [.. _ready, from, from.AddMonths(1)];
            logger.LogInformation("Event log partitions ready from {From:yyyy-MM} for {Months} months", from, MonthsAhead);
        }
        finally
        {
            _gate.Release();
        }
    }
}
