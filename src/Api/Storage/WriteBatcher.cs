using System.Threading.Channels;

namespace ProductEvents.Api.Storage;

/// <summary>
/// Coalesces concurrent writes: callers hand in rows and wait, one loop writes everything pending in one call. While
/// a write is in flight the next rows gather, so a thousand callers at once cost a few statements, not a thousand.
/// </summary>
public sealed class WriteBatcher<T> : IAsyncDisposable
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<T>, CancellationToken, Task> _write;
    private readonly int _maxRows;
    private readonly Task _loop;

    /// <param name="write">Writes one batch; when it throws, every caller of that batch gets the exception.</param>
    /// <param name="maxRows">Rows per write at most (a caller's rows are never split).</param>
    public WriteBatcher(Func<IReadOnlyList<T>, CancellationToken, Task> write, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        _write = write;
        _maxRows = maxRows;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when <paramref name="rows"/> are written.</summary>
    public Task WriteAsync(IReadOnlyList<T> rows)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        var pending = new Pending(rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending)
            ? pending.Done.Task
            : Task.FromException(new ObjectDisposedException(nameof(WriteBatcher<T>)));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        var rows = new List<T>();
        Pending? carried = null;
        while (carried is not null || await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            rows.Clear();
            if (carried is not null)
            {
                batch.Add(carried);
                rows.AddRange(carried.Rows);
                carried = null;
            }

            while (rows.Count < _maxRows && _pending.Reader.TryRead(out var next))
            {
                if (rows.Count > 0 && rows.Count + next.Rows.Count > _maxRows)
                {
                    carried = next;
                    break;
                }

                batch.Add(next);
                rows.AddRange(next.Rows);
            }

            try
            {
                await _write(rows, CancellationToken.None);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private sealed record Pending(IReadOnlyList<T> Rows, TaskCompletionSource Done);
}
