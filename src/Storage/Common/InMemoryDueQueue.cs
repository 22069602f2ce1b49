namespace ProductEvents.Storage.Common;

/// <summary>
/// The timer side of an in-memory store that stands in for a leased table: keys in due order, each with the lease a
/// claim put on it. Not thread-safe: the store calls it under its own lock.
/// </summary>
public sealed class InMemoryDueQueue<TKey>
    where TKey : notnull
{
    private readonly SortedSet<(DateTimeOffset DueAt, TKey Key)> _due = [];
    private readonly Dictionary<TKey, DateTimeOffset> _leases = [];

    public void Add(TKey key, DateTimeOffset dueAt)
    {
        _due.Add((dueAt, key));
        _leases[key] = DateTimeOffset.MinValue;
    }

    public void Remove(TKey key, DateTimeOffset dueAt)
    {
        _due.Remove((dueAt, key));
        _leases.Remove(key);
    }

    /// <summary>Keys due at <paramref name="now"/> that no lease holds, earliest first, now held until <paramref name="leaseUntil"/>.</summary>
    public List<TKey> Claim(DateTimeOffset now, DateTimeOffset leaseUntil, int limit)
    {
        var claimed = new List<TKey>();
        foreach (var (dueAt, key) in _due)
        {
            if (dueAt > now || claimed.Count == limit)
            {
                break;
            }

            if (_leases[key] <= now)
            {
                _leases[key] = leaseUntil;
                claimed.Add(key);
            }
        }

        return claimed;
    }
}
