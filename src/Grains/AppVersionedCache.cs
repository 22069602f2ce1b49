using System.Collections.Concurrent;

namespace ProductEvents.Grains;

/// <summary>
/// Per-app values a silo keeps from a registry grain, checked against the registry's version at most once per
/// refresh interval, by one check at a time (not by every caller at once). An entry past the interval is answered as
/// it is while the check runs in the background, so reads on the ingest path never queue behind the registry; only an
/// app's first read, and a read of an entry past twice the interval (a silo that was idle), wait for the check. A
/// change made through this silo's registry applies at once (<see cref="Invalidate"/>); on other silos every read that
/// starts twice the interval after the change sees it.
/// </summary>
public sealed class AppVersionedCache<T>(
    TimeProvider clock, TimeSpan refreshInterval, Func<string, Task<long>> readVersion, Func<string, long, Task<T>> load)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _checks = new(StringComparer.Ordinal);
    private long _generation;

    public async ValueTask<T> GetAsync(string appId)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(appId, out var cached) && now >= cached.CheckedAt)
        {
            var age = now - cached.CheckedAt;
            if (age < refreshInterval)
            {
                return cached.Value;
            }

            if (age < refreshInterval * 2)
            {
                _ = Check(appId, cached);
                return cached.Value;
            }
        }

        return (await Check(appId, cached)).Value;
    }

    /// <summary>Drops an app's entry (and the result of a check under way): the next read loads it again.</summary>
    public void Invalidate(string appId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(appId, out _);
        _checks.TryRemove(appId, out _);
    }

    private Task<Entry> Check(string appId, Entry? cached) =>
        _checks.GetOrAdd(appId, _ => new Lazy<Task<Entry>>(() => Task.Run(() => CheckAsync(appId, cached)))).Value;

    private async Task<Entry> CheckAsync(string appId, Entry? cached)
    {
        var generation = Interlocked.Read(ref _generation);

        // The entry is as fresh as the moment its check began (a slow check must not make an older answer look new):
        // a change completed two intervals before a read is in what the read gets, however long checks take.
        var started = clock.GetUtcNow();
        try
        {
            var version = await readVersion(appId);
            var entry = cached is not null && cached.Version == version
                ? cached with { CheckedAt = started }
                : new Entry(version, await load(appId, version), started);

            // A check that began before an invalidation may have read the registry before the change: not kept.
            if (Interlocked.Read(ref _generation) == generation)
            {
                _entries[appId] = entry;
            }

            return entry;
        }
        finally
        {
            _checks.TryRemove(appId, out _);
        }
    }

    private sealed record Entry(long Version, T Value, DateTimeOffset CheckedAt);
}
