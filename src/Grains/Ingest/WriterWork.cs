using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>The events of one request, waiting for the commit that includes them.</summary>
internal sealed class WriterWork(LogWriteRequest request)
{
    public ProductEventRecord[] Events => request.Events;

    /// <summary>The request's trace (W3C traceparent), which the commit carrying these events links to.</summary>
    public string? TraceParent => request.TraceParent;

    public TaskCompletionSource<CommitAnswer> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
