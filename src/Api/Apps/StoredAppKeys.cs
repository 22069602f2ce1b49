using Microsoft.Extensions.Logging;
using ProductEvents.Api.Cors;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Api.Apps;

/// <summary>
/// This process's copy of the stored apps and of the keys that work, so that checking a request's key reads memory,
/// never the database (a flood of made-up keys costs nothing). <see cref="StoredAppKeysService"/> reads the registry
/// version every <see cref="PollInterval"/> and reloads the copy when it moved: a key added, rotated or revoked
/// anywhere (another silo, the <c>apps</c> command, SQL by hand) takes effect here within that interval plus one
/// reload; a change made through this process's admin API at once. Uses of keys are gathered here and written
/// (last-used times) every <see cref="UseFlushInterval"/>.
/// </summary>
public sealed partial class StoredAppKeys(IAppStore store, TimeProvider clock, ILogger<StoredAppKeys> logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan UseFlushInterval = TimeSpan.FromMinutes(1);

    /// <summary>A key's use is noted at most this often per process, so a busy key's requests do not all write one field.</summary>
    private static readonly long UseResolutionTicks = TimeSpan.FromSeconds(1).Ticks;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>The version of the copy; -1 before the first load.</summary>
    public long Version => _snapshot.Version;

    public IReadOnlyCollection<string> AppIds => _snapshot.AppIds;

    /// <summary>The access a stored key grants now, noting its use; null when it is unknown or revoked.</summary>
    public AppAccess? Find(KeyHash hash)
    {
        if (!_snapshot.Keys.TryGetValue(hash, out var key))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (key.RevokedAt is { } revokedAt && revokedAt <= now)
        {
            return null;
        }

        if (now.UtcTicks - Volatile.Read(ref key.UsedAtTicks) >= UseResolutionTicks)
        {
            Volatile.Write(ref key.UsedAtTicks, now.UtcTicks);
        }

        return key.Access;
    }

    public bool AnyAppAllows(string origin)
    {
        var origins = _snapshot.AllOrigins;
        return origins.Contains(AppOrigins.Any) || origins.Contains(AppOrigins.Normalize(origin));
    }

    public bool Allows(string appId, string origin) =>
        _snapshot.OriginsByApp.TryGetValue(appId, out var origins) && (origins.Contains(AppOrigins.Any) || origins.Contains(AppOrigins.Normalize(origin)));

    /// <summary>Reloads the copy if the registry version moved (or always, with <paramref name="force"/>).</summary>
    public async Task RefreshAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            if (!force && await store.ReadVersionAsync(cancellationToken) == current.Version)
            {
                return;
            }

            _snapshot = Snapshot.Build(await store.LoadAsync(cancellationToken), current);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Applies a change just committed through this process at once rather than at the next poll. A failure is only
    /// logged: the change is made, and the poll applies it as soon as the store answers.
    /// </summary>
    public async Task ApplyNowAsync()
    {
        try
        {
            await RefreshAsync();
        }
        catch (Exception ex)
        {
            LogNotApplied(ex);
        }
    }

    /// <summary>Writes the last-used times noted since the previous write.</summary>
    public async Task FlushUsesAsync(CancellationToken cancellationToken = default)
    {
        var pending = new List<(StoredKeyEntry Key, long UsedAt)>();
        foreach (var key in _snapshot.Keys.Values)
        {
            var usedAt = Volatile.Read(ref key.UsedAtTicks);
            if (usedAt > key.FlushedTicks)
            {
                pending.Add((key, usedAt));
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        await store.RecordUseAsync([.. pending.Select(p => new KeyUse(p.Key.Id, new DateTimeOffset(p.UsedAt, TimeSpan.Zero)))], cancellationToken);
        foreach (var (key, usedAt) in pending)
        {
            key.FlushedTicks = usedAt;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change to stored apps or keys is made but not yet applied in this process; the next poll applies it")]
    private partial void LogNotApplied(Exception exception);

    /// <summary>A stored key as this process holds it; its use is noted in place.</summary>
    private sealed class StoredKeyEntry(long id, AppAccess access, DateTimeOffset? revokedAt)
    {
        public long UsedAtTicks;
        public long FlushedTicks;

        public long Id { get; } = id;

        public AppAccess Access { get; } = access;

        public DateTimeOffset? RevokedAt { get; } = revokedAt;
    }

    private sealed record Snapshot(
        long Version,
        Dictionary<KeyHash, StoredKeyEntry> Keys,
        IReadOnlyCollection<string> AppIds,
        Dictionary<string, HashSet<string>> OriginsByApp,
        HashSet<string> AllOrigins)
    {
        public static readonly Snapshot Empty = new(-1, [], [], new(StringComparer.Ordinal), []);

        /// <summary>The new copy keeps the uses noted on the old one, so a reload loses no last-used time.</summary>
        public static Snapshot Build(AppRegistrySnapshot loaded, Snapshot previous)
        {
            var noted = previous.Keys.Values.ToDictionary(k => k.Id);
            var keys = new Dictionary<KeyHash, StoredKeyEntry>(loaded.Keys.Count);
            foreach (var live in loaded.Keys)
            {
                var access = new AppAccess(live.AppId, live.Kind == AppKeyKind.Secret, AuditActors.AppKey(live.Name));
                var entry = new StoredKeyEntry(live.Id, access, live.RevokedAt);
                if (noted.TryGetValue(live.Id, out var old))
                {
                    entry.UsedAtTicks = Volatile.Read(ref old.UsedAtTicks);
                    entry.FlushedTicks = old.FlushedTicks;
                }

                keys[KeyHash.From(live.Hash)] = entry;
            }

            var origins = loaded.Apps.ToDictionary(
                a => a.Id, a => new HashSet<string>(a.AllowedOrigins.Select(AppOrigins.Normalize), StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
            var all = new HashSet<string>(origins.Values.SelectMany(o => o), StringComparer.OrdinalIgnoreCase);
            return new Snapshot(loaded.Version, keys, [.. loaded.Apps.Select(a => a.Id)], origins, all);
        }
    }
}
