using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Creates the event log's monthly partitions ahead of time: at start and then twice a day, for this month and the
/// next two. The append path still makes sure before each commit; this takes that work off the first commits of a month.
/// </summary>
public sealed partial class EventLogPartitionUpkeep(PostgresEventLog log, TimeProvider clock, ILogger<EventLogPartitionUpkeep> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(12);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await log.EnsurePartitionsAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (EventLogUnavailableException ex)
            {
                // The append path creates what it needs; the next round tries again.
                LogUpkeepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log partitions could not be created ahead of time")]
    private partial void LogUpkeepFailed(Exception exception);
}
