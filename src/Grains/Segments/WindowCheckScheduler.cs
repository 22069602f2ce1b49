using Microsoft.Extensions.Hosting;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Projections;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Re-evaluates the contacts whose window checks are due: the safety net under the contacts' own timers, for contacts
/// that are not active (deactivated, or their silo restarted or died). Every silo claims due checks in batches
/// (leased, so no two silos hold the same check), re-evaluates their contacts and removes the checks it did; a contact
/// writes its next check during that re-evaluation, and that one stays. A check whose contact failed stays, and is
/// taken again when its lease ends (<see cref="ClaimingScheduler"/>). Re-evaluating a contact whose timer already did
/// it changes nothing.
/// </summary>
public sealed class WindowCheckScheduler(
    IWindowCheckStore checks,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<WindowCheckSchedulerOptions> options,
    TimeProvider clock,
    ILogger<WindowCheckScheduler> logger) : ClaimingScheduler(lifetime, logger)
{
    protected override int BatchSize => options.Value.BatchSize;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override async Task<int> RunBatchAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var due = await checks.ClaimDueAsync(now, now + o.Lease, o.BatchSize, stoppingToken);
        await checks.CompleteAsync(await ReevaluateAsync(due, o, stoppingToken), stoppingToken);
        return due.Count;
    }

    /// <summary>Re-evaluates the checks' contacts; answers the checks that were done.</summary>
    private async Task<IReadOnlyList<WindowCheck>> ReevaluateAsync(IReadOnlyList<WindowCheck> due, WindowCheckSchedulerOptions o, CancellationToken stoppingToken)
    {
        var done = new List<WindowCheck>(due.Count);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = stoppingToken };
        await Parallel.ForEachAsync(due, parallel, async (check, _) =>
        {
            try
            {
                await grains.GetKeyedGrain<IContactProjectionGrain>(GrainKeys.Contact(check.AppId, check.Contact)).ReevaluateAsync(false);
                lock (done)
                {
                    done.Add(check);
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Window check of contact {Contact} in app {App} failed; it is tried again when its lease ends", check.Contact.Value, check.AppId);
            }
        });

        return done;
    }
}
