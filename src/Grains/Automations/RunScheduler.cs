using Microsoft.Extensions.Hosting;
using ProductEvents.Grains.Telemetry;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Fires the runs whose wait ended. The run store is the durable timer: every silo claims due runs in batches (leased,
/// so no two silos hold the same run), fires them (<see cref="RunFiring"/>), puts their webhooks in the outbox with one
/// write and records how they ended with another. A run waiting across a restart or a kill -9 is due at the same time
/// and is claimed by whichever silo looks next; one claimed by a silo that died is taken again when its lease ends
/// (<see cref="ClaimingScheduler"/>).
/// </summary>
public sealed class RunScheduler(
    IAutomationRunStore runs,
    IDeliveryOutbox outbox,
    AutomationDefinitionCache automations,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<RunSchedulerOptions> options,
    TimeProvider clock,
    ILogger<RunScheduler> logger) : ClaimingScheduler(lifetime, logger)
{
    private readonly RunFiring _firing = new(grains);

    protected override int BatchSize => options.Value.BatchSize;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override async Task<int> RunBatchAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var claiming = clock.GetTimestamp();
        var due = await runs.ClaimDueAsync(now, now + o.Lease, o.BatchSize, stoppingToken);
        await FireAsync(due, clock.GetElapsedTime(claiming), o, stoppingToken);
        return due.Count;
    }

    private async Task FireAsync(IReadOnlyList<RunRecord> due, TimeSpan claimedIn, RunSchedulerOptions o, CancellationToken stoppingToken)
    {
        if (due.Count == 0)
        {
            return;
        }

        using var activity = AutomationMetrics.StartFiring(due.Count);
        var started = clock.GetTimestamp();
        var ended = new List<RunRecord>(due.Count);
        var deliveries = new List<Delivery>(due.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = stoppingToken };
        await Parallel.ForEachAsync(due, parallel, async (run, _) =>
        {
            try
            {
                var app = await automations.GetAsync(run.AppId);
                var firedAt = clock.GetUtcNow();
                var (status, reason, delivery) = await _firing.FireAsync(app.Automations.GetValueOrDefault(run.AutomationId), run, firedAt);
                AutomationMetrics.Fired(run, status, firedAt);
                lock (ended)
                {
                    ended.Add(run with { Status = status, Reason = reason, UpdatedAt = clock.GetUtcNow() });
                    if (delivery is not null)
                    {
                        deliveries.Add(delivery);
                    }
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Run {Run} of automation {Automation} did not fire; it is tried again when its lease ends", run.RunId, run.AutomationId);
            }
        });

        var fired = clock.GetElapsedTime(started);

        // Webhooks first: a crash between the two writes fires the run again, and its delivery id is already taken.
        await outbox.EnqueueAsync(deliveries, stoppingToken);
        await runs.CompleteAsync(ended, stoppingToken);
        logger.LogDebug(
            "{Claimed} due runs: {Deliveries} webhooks; claimed in {ClaimMs:0} ms, fired in {FireMs:0} ms, recorded in {WriteMs:0} ms",
            due.Count, deliveries.Count, claimedIn.TotalMilliseconds, fired.TotalMilliseconds, (clock.GetElapsedTime(started) - fired).TotalMilliseconds);
    }
}
