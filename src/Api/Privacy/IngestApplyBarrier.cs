namespace ProductEvents.Api.Privacy;

/// <summary>The apply barrier of this process's ingest pipeline: every entry it committed has reached its grains.</summary>
public sealed class IngestApplyBarrier(IngestPipeline pipeline) : ILogApplyBarrier
{
    public Task WaitAsync(CancellationToken cancellationToken = default) => pipeline.WhenAppliedAsync().WaitAsync(cancellationToken);
}
