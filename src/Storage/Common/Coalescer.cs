using System.Threading.Channels;

namespace ProductEvents.Storage.Common;

/// <summary>
/// Serves concurrent requests together: callers hand in a request and wait for its result, a loop takes everything
/// pending and serves it with one call (one statement, one round trip). While a call is in flight the next requests
/// gather, so a thousand callers at once cost a few statements, not a thousand; a lone caller is served at once.
/// </summary>
public sealed class Coalescer<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>();
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> _serve;
    private readonly Func<TRequest, int> _sizeOf;
    private readonly int _maxSize;
    private readonly Task[] _loops;

    /// <param name="serve">Serves one batch, answering one result per request in their order; when it throws, every caller of that batch gets the exception.</param>
    /// <param name="maxSize">The size of a batch at most, in the units of <paramref name="sizeOf"/> (a request is never split).</param>
    /// <param name="sizeOf">A request's size; 1 each when not given.</param>
    /// <param name="concurrency">Batches served at once (1: each batch waits for the one before).</param>
    public Coalescer(
        Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> serve,
        int maxSize,
        Func<TRequest, int>? sizeOf = null,
        int concurrency = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _serve = serve;
        _maxSize = maxSize;
        _sizeOf = sizeOf ?? (_ => 1);
        _loops = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Completes with <paramref name="request"/>'s result once its batch is served.</summary>
    public Task<TResult> RunAsync(TRequest request)
    {
        var pending = new Pending(request, _sizeOf(request), new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending)
            ? pending.Done.Task
            : Task.FromException<TResult>(new ObjectDisposedException(nameof(Coalescer<TRequest, TResult>)));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        var requests = new List<TRequest>();
        Pending? carried = null;
        while (carried is not null || await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            requests.Clear();
            var size = 0;
            if (carried is not null)
            {
                batch.Add(carried);
                size = carried.Size;
                carried = null;
            }

            while (size < _maxSize && _pending.Reader.TryRead(out var next))
            {
                if (batch.Count > 0 && size + next.Size > _maxSize)
                {
                    carried = next;
                    break;
                }

                batch.Add(next);
                size += next.Size;
            }

            if (batch.Count == 0)
            {
                continue;
            }

            batch.ForEach(p => requests.Add(p.Request));
            try
            {
                var results = await _serve(requests, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private sealed record Pending(TRequest Request, int Size, TaskCompletionSource<TResult> Done);
}
