namespace ProductEvents.Storage.Erasure;

/// <summary>
/// In-process wake-ups around erasures: a request wakes this silo's erasure worker at once (instead of at its next
/// poll), and every erasure step the worker saves wakes the requests waiting for an answer.
/// </summary>
public sealed class ErasureSignal
{
    private readonly SemaphoreSlim _requested = new(0, 1);
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Requested()
    {
        try
        {
            _requested.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the worker looks once for both.
        }
    }

    /// <summary>Waits for a request or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitForRequestAsync(TimeSpan timeout, CancellationToken cancellationToken) => _requested.WaitAsync(timeout, cancellationToken);

    public void Progressed() => Interlocked.Exchange(ref _progress, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next saved step of any erasure in this process.</summary>
    public Task NextProgressAsync() => Volatile.Read(ref _progress).Task;
}
