using Microsoft.Extensions.Hosting;

namespace ProductEvents.Grains;

public static class HostLifetimeExtensions
{
    /// <summary>
    /// Completes when the host has started (the silo serves grain calls from then on); throws
    /// <see cref="OperationCanceledException"/> when <paramref name="stoppingToken"/> is cancelled first.
    /// </summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
    }
}
