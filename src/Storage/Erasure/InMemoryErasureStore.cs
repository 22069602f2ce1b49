namespace ProductEvents.Storage.Erasure;

/// <summary>The embedded default's erasure records: a dictionary, gone with the process (as is everything they erase).</summary>
public sealed class InMemoryErasureStore : IErasureStore
{
    private readonly Dictionary<(string AppId, string UserId), (ContactErasure Erasure, DateTimeOffset? LeaseUntil)> _erasures = [];
    private readonly Lock _lock = new();

    public Task<ContactErasure> RequestAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_erasures.TryGetValue((appId, userId), out var open) && !open.Erasure.IsDone)
            {
                return Task.FromResult(open.Erasure);
            }

            var erasure = new ContactErasure(appId, userId, [.. visitorKeys], now, ErasureStep.Log);
            _erasures[(appId, userId)] = (erasure, null);
            return Task.FromResult(erasure);
        }
    }

    public Task<ContactErasure?> GetAsync(string appId, string userId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_erasures.TryGetValue((appId, userId), out var row) ? row.Erasure : null);
        }
    }

    public Task<IReadOnlyList<ContactErasure>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var due = _erasures.Values
                .Where(r => !r.Erasure.IsDone && (r.LeaseUntil is null || r.LeaseUntil <= now))
                .OrderBy(r => r.Erasure.RequestedAt)
                .Take(limit)
                .Select(r => r.Erasure)
                .ToList();
            foreach (var erasure in due)
            {
                _erasures[(erasure.AppId, erasure.UserId)] = (erasure, leaseUntil);
            }

            return Task.FromResult<IReadOnlyList<ContactErasure>>(due);
        }
    }

    public Task SaveAsync(ContactErasure erasure, DateTimeOffset? leaseUntil, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // A request that started the erasure again after it was done is not overwritten by the earlier run.
            if (_erasures.TryGetValue((erasure.AppId, erasure.UserId), out var stored) && stored.Erasure.RequestedAt == erasure.RequestedAt)
            {
                _erasures[(erasure.AppId, erasure.UserId)] = (erasure, leaseUntil);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteDoneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var done = _erasures.Where(r => r.Value.Erasure.DoneAt < before).Select(r => r.Key).ToList();
            foreach (var key in done)
            {
                _erasures.Remove(key);
            }

            return Task.FromResult(done.Count);
        }
    }
}
