using System.Diagnostics;

namespace ProductEvents.Api.Ingest;

/// <summary>The events of one request, waiting for the commit that includes them.</summary>
internal sealed class IngestWork(ProductEventRecord[] events)
{
    public ProductEventRecord[] Events { get; } = events;

    public TaskCompletionSource<AppendOutcome[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request's trace (W3C traceparent), which the commit carrying these events links to.</summary>
    public string? TraceParent { get; } = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
