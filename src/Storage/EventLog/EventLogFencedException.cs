namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Another process has taken over writing the log since this one did: nothing of the attempted append was committed,
/// and this writer must stop (its requests are answered 503 and retried through the writer that took over).
/// </summary>
public sealed class EventLogFencedException(long epoch, long current)
    : Exception($"The event log is written by another process now (epoch {current}; this writer held {epoch}).")
{
    public long Epoch { get; } = epoch;
}
