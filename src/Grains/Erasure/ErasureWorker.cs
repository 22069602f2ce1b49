using Microsoft.Extensions.Hosting;
using ProductEvents.Storage.Erasure;

namespace ProductEvents.Grains.Erasure;

/// <summary>
/// Runs the erasures recorded in the erasure store: at once when a request arrives at this silo, and every
/// <see cref="ErasureOptions.PollInterval"/> otherwise, which is how an erasure that a crash or a restart interrupted (its
/// lease ended) is resumed, by any silo. An erasure that fails is retried after a delay that grows with its attempts.
/// Records of erasures done more than <see cref="ErasureOptions.KeepRecordFor"/> ago are deleted.
/// </summary>
public sealed class ErasureWorker(
    IErasureStore erasures,
    ContactEraser eraser,
    ErasureSignal signal,
    IHostApplicationLifetime lifetime,
    IOptions<ErasureOptions> options,
    TimeProvider clock,
    ILogger<ErasureWorker> logger) : ClaimingScheduler(lifetime, logger)
{
    /// <summary>The longest wait before a failed erasure is tried again.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    protected override int BatchSize => options.Value.Concurrency;

    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override async Task<int> RunBatchAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var due = await erasures.ClaimAsync(now, now + o.Lease, o.Concurrency, stoppingToken);
        await Task.WhenAll(due.Select(e => RunAsync(e, stoppingToken)));
        await erasures.DeleteDoneAsync(now - o.KeepRecordFor, stoppingToken);
        return due.Count;
    }

    /// <summary>A request arriving at this silo wakes the worker before the poll interval ends.</summary>
    protected override Task WaitAsync(CancellationToken stoppingToken) => signal.WaitForRequestAsync(PollInterval, stoppingToken);

    private async Task RunAsync(ContactErasure erasure, CancellationToken stoppingToken)
    {
        try
        {
            await eraser.RunAsync(erasure, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The lease ends and the next start resumes it.
        }
        catch (Exception ex)
        {
            // Read again: the steps done before the failure were saved.
            var stored = await TryGetAsync(erasure) ?? erasure;
            var attempts = stored.Attempts + 1;
            var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, attempts)));
            logger.LogWarning(ex, "Erasure of a contact of app {App} failed at step {Step} (attempt {Attempts}); trying again in {Delay}",
                erasure.AppId, stored.Step, attempts, delay);
            try
            {
                await erasures.SaveAsync(stored with { Attempts = attempts, LastError = ex.Message }, clock.GetUtcNow() + delay, stoppingToken);
                signal.Progressed();
            }
            catch (Exception saveFailure)
            {
                logger.LogWarning(saveFailure, "The failure of an erasure could not be recorded; it is taken again when its lease ends");
            }
        }
    }

    private async Task<ContactErasure?> TryGetAsync(ContactErasure erasure)
    {
        try
        {
            return await erasures.GetAsync(erasure.AppId, erasure.UserId);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
