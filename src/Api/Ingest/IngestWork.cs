using System.Diagnostics;

namespace ProductEvents.Api.Ingest;

/// <summary>The events of one request, waiting for the commit (and the grain updates) that include them.</summary>
internal sealed class IngestWork(ProductEventRecord[] events)
{
    public ProductEventRecord[] Events { get; } = events;

    public TaskCompletionSource<AppendOutcome[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request's trace, which the commit carrying these events links to.</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
}
