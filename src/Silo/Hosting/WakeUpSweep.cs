using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Api.Apps;
using ProductEvents.Grains;
using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Campaigns;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Wakes, at start and every <see cref="Interval"/>, what a lost wake-up would otherwise leave asleep in durable mode:
/// <list type="bullet">
/// <item>the trigger of every segment an enabled automation listens to: a segment wakes it after writing changes, and
/// a silo killed between the write and the wake leaves those changes unread until the segment's next write;</item>
/// <item>every scheduled or sending campaign: its reminder is its wake-up after a restart, and a campaign saved as
/// scheduled whose reminder write then failed (or a silo killed between the two) would otherwise wait for nothing.</item>
/// </list>
/// Both resume from their saved position, so a sweep with nothing to do costs a query per segment and a call per campaign.
/// </summary>
public sealed class WakeUpSweep(
    AppKeyRegistry apps,
    AutomationDefinitionCache automations,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    ILogger<WakeUpSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var appId in apps.AppIds)
                {
                    await SweepAsync(appId);
                }

                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(string appId)
    {
        try
        {
            var app = await automations.GetAsync(appId);
            var segments = app.Automations.Values
                .Where(a => a.Definition.Enabled && a.Definition.SegmentTrigger is not null)
                .Select(a => a.Definition.SegmentTrigger!.SegmentId).Distinct(StringComparer.Ordinal);
            await Task.WhenAll(segments.Select(id => grains.GetGrain<ISegmentTriggerGrain>(GrainKeys.Segment(appId, id)).CatchUpAsync()));

            var campaigns = await grains.GetGrain<ICampaignRegistryGrain>(appId).ListAsync(CampaignLimits.MaxCampaignsPerApp);
            await Task.WhenAll(campaigns
                .Where(c => c.Status is CampaignStatus.Scheduled or CampaignStatus.Sending)
                .Select(c => grains.GetGrain<ICampaignGrain>(CampaignIds.Grain(appId, c.Id)).ContinueAsync()));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "App {App} not swept for lost wake-ups; trying again in {Interval}", appId, Interval);
        }
    }
}
