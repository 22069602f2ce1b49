using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Erasure;

/// <summary>The apply barrier of the cluster's one log writer: every entry committed before the call, through any process, has reached its grains.</summary>
public sealed class LogWriterApplyBarrier(IGrainFactory grains) : ILogApplyBarrier
{
    public Task WaitAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<ILogWriterGrain>(ILogWriterGrain.Key).WhenAppliedAsync().WaitAsync(cancellationToken);
}
