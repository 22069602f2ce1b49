using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Fires the runs whose wait ended. The run store is the durable timer: every silo claims due runs in batches (leased,
/// so no two silos hold the same run), fires them (<see cref="RunFiring"/>), puts their webhooks in the outbox with one
/// write and records how they ended with another. A run waiting across a restart or a kill -9 is due at the same time
/// and is claimed by whichever silo looks next; one claimed by a silo that died is taken again when its lease ends.
/// </summary>
public sealed class RunScheduler(
    IAutomationRunStore runs,
    IDeliveryOutbox outbox,
    AutomationDefinitionCache automations,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<RunSchedulerOptions> options,
    TimeProvider clock,
    ILogger<RunScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Firing asks grains: wait until the silo serves them.
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var o = options.Value;
        var firing = new RunFiring(grains);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var now = clock.GetUtcNow();
                var claiming = clock.GetTimestamp();
                var due = await runs.ClaimDueAsync(now, now + o.Lease, o.BatchSize, stoppingToken);
                claimed = due.Count;
                await FireAsync(firing, due, clock.GetElapsedTime(claiming), o, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Claimed runs stay waiting and are taken again when their lease ends.
                logger.LogWarning(ex, "Due runs could not be claimed or recorded; trying again");
            }

            if (claimed < o.BatchSize)
            {
                // Real time on purpose: this is only how often to look, the due times themselves come from the clock.
                await Task.Delay(o.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task FireAsync(RunFiring firing, IReadOnlyList<RunRecord> due, TimeSpan claimedIn, RunSchedulerOptions o, CancellationToken stoppingToken)
    {
        if (due.Count == 0)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var ended = new List<RunRecord>(due.Count);
        var deliveries = new List<Delivery>(due.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = stoppingToken };
        await Parallel.ForEachAsync(due, parallel, async (run, _) =>
        {
            try
            {
                var app = await automations.GetAsync(run.AppId);
                var (status, reason, delivery) = await firing.FireAsync(app.Automations.GetValueOrDefault(run.AutomationId), run, clock.GetUtcNow());
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
