using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Group commit of one segment's membership changes: the first change starts a write at once, and whatever arrives
/// while that write runs goes into the next one, so a quiet segment writes within one round trip and a busy one in
/// batches as large as the store's pace makes them. It lives on its grain's scheduler (no locks) and holds no turn
/// of the grain while a write waits on the store, so changes keep arriving meanwhile.
/// </summary>
internal sealed class MembershipWriter(Func<MembershipChange[], Task> write, TimeProvider clock, ILogger logger, string segmentKey)
{
    private const int MaxBatch = 5_000;

    /// <summary>After a failed write, new changes wait this long (or for <see cref="FlushAsync"/>) before the next try.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(500);

    private readonly List<MembershipChange> _pending = [];
    private Task? _writing;
    /// <summary>The <see cref="TimeProvider.GetUtcNow"/> before which new changes do not start a write.</summary>
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    public int Pending => _pending.Count;

    public void Add(MembershipChange change)
    {
        _pending.Add(change);
        if (clock.GetUtcNow() >= _retryAt)
        {
            Start();
        }
    }

    /// <summary>Starts writing what is pending unless a write runs already; returns at once.</summary>
    public void Start()
    {
        if (_writing is null && _pending.Count > 0)
        {
            var writing = WriteAllAsync();
            _writing = writing.IsCompleted ? null : writing;
        }
    }

    /// <summary>Drops what is pending; a write already under way still finishes (see <see cref="IdleAsync"/>).</summary>
    public void Clear() => _pending.Clear();

    /// <summary>Completes once no write is under way.</summary>
    public async Task IdleAsync()
    {
        while (_writing is { } running)
        {
            await running;
        }
    }

    /// <summary>Writes everything received so far; a failure stays pending and is logged, not thrown.</summary>
    public async Task FlushAsync()
    {
        await IdleAsync();
        _retryAt = DateTimeOffset.MinValue;
        Start();
        await IdleAsync();
    }

    private async Task WriteAllAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var count = Math.Min(_pending.Count, MaxBatch);
                var batch = _pending.GetRange(0, count).ToArray();
                _pending.RemoveRange(0, count);
                try
                {
                    await write(batch);
                }
                catch (Exception ex)
                {
                    // Keep them for the next try: the changes are idempotent, so writing some twice does no harm.
                    _pending.InsertRange(0, batch);
                    _retryAt = clock.GetUtcNow() + RetryAfter;
                    logger.LogWarning(ex, "Segment {Segment}: {Count} membership changes not written yet", segmentKey, batch.Length);
                    return;
                }
            }
        }
        finally
        {
            _writing = null;
        }
    }
}
