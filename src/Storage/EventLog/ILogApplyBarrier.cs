namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Waits for the grains to catch up with the log: an erasure waits here so that no entry committed before it is applied
/// to a grain after the grain was erased.
/// </summary>
public interface ILogApplyBarrier
{
    /// <summary>Completes once every entry committed before the call has reached its product and contact grains.</summary>
    Task WaitAsync(CancellationToken cancellationToken = default);
}
