namespace ProductEvents.Storage.Common;

/// <summary>
/// Coalesces concurrent writes (<see cref="Coalescer{TRequest, TResult}"/>): callers hand in rows and wait, one loop
/// writes everything pending in one call, so a thousand callers at once cost a few statements, not a thousand.
/// </summary>
public sealed class WriteBatcher<T> : IAsyncDisposable
{
    private readonly Coalescer<IReadOnlyList<T>, bool> _writes;

    /// <param name="write">Writes one batch; when it throws, every caller of that batch gets the exception.</param>
    /// <param name="maxRows">Rows per write at most (a caller's rows are never split).</param>
    public WriteBatcher(Func<IReadOnlyList<T>, CancellationToken, Task> write, int maxRows)
    {
        _writes = new Coalescer<IReadOnlyList<T>, bool>(
            async (batches, cancellationToken) =>
            {
                await write(batches.Count == 1 ? batches[0] : [.. batches.SelectMany(rows => rows)], cancellationToken);
                return new bool[batches.Count];
            },
            maxRows,
            rows => rows.Count);
    }

    /// <summary>Completes when <paramref name="rows"/> are written.</summary>
    public Task WriteAsync(IReadOnlyList<T> rows) => rows.Count == 0 ? Task.CompletedTask : _writes.RunAsync(rows);

    public ValueTask DisposeAsync() => _writes.DisposeAsync();
}
