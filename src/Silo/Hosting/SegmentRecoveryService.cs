using ProductEvents.Api.EventLog;
using ProductEvents.Grains;
using ProductEvents.Grains.Projections;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// After a start in durable mode, the contacts of the newest log entries re-evaluate their segments and re-assert
/// their memberships: a crash may have lost membership changes that were on their way to the segments (streams are
/// in memory), and those changes can only belong to contacts that had events just before it. Each contact compares
/// its evaluation with the memberships stored for it (read for many contacts at once) and sends only the differences,
/// so a restart that lost nothing costs reads, not a write per contact and segment.
/// </summary>
public sealed class SegmentRecoveryService(IEventLog log, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<SegmentRecoveryService> logger)
    : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    public const int MaxEntries = 200_000;

    /// <summary>Contacts re-evaluated at once.</summary>
    public const int Concurrency = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WhenStartedAsync(stoppingToken);
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            var contacts = await log.ListRecentContactsAsync(Window, MaxEntries, stoppingToken);
            // A background repair: a bounded number of contacts at a time, so builds and requests keep most of the silo.
            await Parallel.ForEachAsync(
                contacts,
                new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = stoppingToken },
                async (c, _) => await grains.GetKeyedGrain<IContactProjectionGrain>(GrainKeys.Contact(c.AppId, c.Contact)).ReevaluateAsync(reassert: true));

            logger.LogInformation(
                "Segment recovery: {Count} recent contacts re-asserted their memberships in {Seconds:F1} s",
                contacts.Count,
                TimeProvider.System.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Segment recovery after start-up failed; memberships converge as contacts receive events");
        }
    }
}
