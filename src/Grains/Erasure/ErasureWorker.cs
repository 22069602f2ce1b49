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
    ILogger<ErasureWorker> logger) : BackgroundService
{
    /// <summary>The longest wait before a failed erasure is tried again.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Erasing asks grains: wait until the silo serves them.
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var o = options.Value;
            var claimed = 0;
            try
            {
                var now = clock.GetUtcNow();
                var due = await erasures.ClaimAsync(now, now + o.Lease, o.Concurrency, stoppingToken);
                claimed = due.Count;
                await Task.WhenAll(due.Select(e => RunAsync(e, stoppingToken)));
                await erasures.DeleteDoneAsync(now - o.KeepRecordFor, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Erasures could not be claimed; looking again in {Interval}", o.PollInterval);
            }

            if (claimed < o.Concurrency)
            {
                try
                {
                    await signal.WaitForRequestAsync(o.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

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
