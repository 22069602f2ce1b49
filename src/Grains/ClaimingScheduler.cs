using Microsoft.Extensions.Hosting;

namespace ProductEvents.Grains;

/// <summary>
/// The loop of a silo's scheduler over a table used as a durable timer: once the silo serves grains, claim a batch of
/// due rows and handle it, again at once while batches come back full, else after the poll interval. A batch that
/// fails is logged; its rows are taken again when their lease ends.
/// </summary>
public abstract class ClaimingScheduler(IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    /// <summary>Rows claimed at once: a batch this full means more may be due.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>How long an idle scheduler waits before it looks again.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Claims due rows and handles them; answers how many it claimed.</summary>
    protected abstract Task<int> RunBatchAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Handling rows asks grains: wait until the silo serves them.
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
            var claimed = 0;
            try
            {
                claimed = await RunBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "{Scheduler}: due rows could not be claimed or recorded; they are taken again when their lease ends", GetType().Name);
            }

            if (claimed < BatchSize)
            {
                await WaitAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// The pause after a batch that was not full: <see cref="PollInterval"/> of real time on purpose (this is only how
    /// often to look, the due times themselves come from the clock). A scheduler that can be woken earlier overrides it.
    /// </summary>
    protected virtual Task WaitAsync(CancellationToken stoppingToken) => Task.Delay(PollInterval, stoppingToken);
}
