using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Api.Apps;
using ProductEvents.Grains;
using ProductEvents.Grains.Automations;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Segment-triggered runs start when a segment wakes its trigger after writing changes. A silo killed between the
/// write and the wake leaves those changes unread until the segment's next write; this sweep wakes the trigger of
/// every segment an enabled automation listens to, at start and every <see cref="Interval"/>, so they are read anyway.
/// Reading is from the trigger's saved position, so a sweep with nothing new costs one query per segment.
/// </summary>
public sealed class SegmentTriggerSweep(
    IOptions<AppsOptions> apps,
    AutomationDefinitionCache automations,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    ILogger<SegmentTriggerSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepAsync();
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync()
    {
        foreach (var appId in apps.Value.Apps.Keys)
        {
            try
            {
                var app = await automations.GetAsync(appId);
                var segments = app.Automations.Values
                    .Where(a => a.Definition.Enabled && a.Definition.SegmentTrigger is not null)
                    .Select(a => a.Definition.SegmentTrigger!.SegmentId).Distinct(StringComparer.Ordinal);
                await Task.WhenAll(segments.Select(id => grains.GetGrain<ISegmentTriggerGrain>(GrainKeys.Segment(appId, id)).CatchUpAsync()));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Segment triggers of app {App} not swept; trying again in {Interval}", appId, Interval);
            }
        }
    }
}
