using ProductEvents.Storage.Audit;

namespace ProductEvents.Storage.Apps;

/// <summary>The embedded default's stored apps and keys: in memory, gone with the process.</summary>
public sealed class InMemoryAppStore(IAuditLog audit, TimeProvider clock) : IAppStore
{
    private readonly Dictionary<string, StoredApp> _apps = new(StringComparer.Ordinal);
    private readonly List<Key> _keys = [];
    private readonly Lock _lock = new();
    private long _version;
    private long _lastKeyId;

    public async Task<StoredApp?> CreateAppAsync(string appId, string name, IReadOnlyList<string> allowedOrigins, string actor, CancellationToken cancellationToken = default)
    {
        StoredApp app;
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            app = new StoredApp(appId, name, [.. allowedOrigins], now, now);
            if (!_apps.TryAdd(appId, app))
            {
                return null;
            }

            _version++;
        }

        await audit.WriteAsync(AppAuditEntries.Created(actor, app), cancellationToken);
        return app;
    }

    public async Task<StoredApp?> UpdateAppAsync(string appId, string? name, IReadOnlyList<string>? allowedOrigins, string actor, CancellationToken cancellationToken = default)
    {
        StoredApp updated;
        lock (_lock)
        {
            if (!_apps.TryGetValue(appId, out var app))
            {
                return null;
            }

            updated = app with { Name = name ?? app.Name, AllowedOrigins = allowedOrigins is null ? app.AllowedOrigins : [.. allowedOrigins], UpdatedAt = clock.GetUtcNow() };
            _apps[appId] = updated;
            _version++;
        }

        await audit.WriteAsync(AppAuditEntries.Updated(actor, updated), cancellationToken);
        return updated;
    }

    public Task<StoredApp?> GetAppAsync(string appId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_apps.GetValueOrDefault(appId));
        }
    }

    public Task<IReadOnlyList<StoredApp>> ListAppsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredApp>>([.. _apps.Values.OrderBy(a => a.Id, StringComparer.Ordinal)]);
        }
    }

    public async Task<KeyWriteResult> AddKeyAsync(string appId, string name, AppKeyKind kind, byte[] keyHash, string actor, CancellationToken cancellationToken = default)
    {
        KeyWriteResult result;
        lock (_lock)
        {
            var live = _keys.Where(k => k.AppId == appId && k.RevokedAt is null).ToList();
            result = !_apps.ContainsKey(appId) ? new KeyWriteResult(KeyWriteStatus.AppNotFound)
                : live.Any(k => k.Name == name) ? new KeyWriteResult(KeyWriteStatus.NameTaken)
                : live.Count >= AppLimits.MaxLiveKeysPerApp ? new KeyWriteResult(KeyWriteStatus.TooManyKeys)
                : new KeyWriteResult(KeyWriteStatus.Done, Insert(appId, name, kind, keyHash).Stored);
        }

        if (result.Key is { } key)
        {
            await audit.WriteAsync(AppAuditEntries.KeyAdded(actor, key), cancellationToken);
        }

        return result;
    }

    public async Task<KeyWriteResult> RotateKeyAsync(string appId, string name, Func<AppKeyKind, byte[]> newKeyHash, TimeSpan grace, string actor, CancellationToken cancellationToken = default)
    {
        KeyWriteResult result;
        DateTimeOffset oldRevokedAt;
        lock (_lock)
        {
            if (!_apps.ContainsKey(appId))
            {
                return new KeyWriteResult(KeyWriteStatus.AppNotFound);
            }

            oldRevokedAt = clock.GetUtcNow() + grace;
            var index = _keys.FindIndex(k => k.AppId == appId && k.Name == name && k.RevokedAt is null);
            if (index < 0)
            {
                return new KeyWriteResult(KeyWriteStatus.KeyNotFound);
            }

            var old = _keys[index];
            _keys[index] = old with { RevokedAt = oldRevokedAt };
            result = new KeyWriteResult(KeyWriteStatus.Done, Insert(appId, name, old.Kind, newKeyHash(old.Kind)).Stored);
        }

        await audit.WriteAsync(AppAuditEntries.KeyRotated(actor, result.Key!, oldRevokedAt), cancellationToken);
        return result;
    }

    public async Task<KeyWriteResult> RevokeKeyAsync(string appId, string name, string actor, CancellationToken cancellationToken = default)
    {
        StoredKey? revoked = null;
        var count = 0;
        lock (_lock)
        {
            if (!_apps.ContainsKey(appId))
            {
                return new KeyWriteResult(KeyWriteStatus.AppNotFound);
            }

            var now = clock.GetUtcNow();
            for (var i = 0; i < _keys.Count; i++)
            {
                var key = _keys[i];
                if (key.AppId == appId && key.Name == name && key.Stored.WorksAt(now))
                {
                    _keys[i] = key with { RevokedAt = now };
                    revoked = _keys[i].Stored;
                    count++;
                }
            }

            if (revoked is null)
            {
                return new KeyWriteResult(KeyWriteStatus.KeyNotFound);
            }

            _version++;
        }

        await audit.WriteAsync(AppAuditEntries.KeyRevoked(actor, appId, name, count), cancellationToken);
        return new KeyWriteResult(KeyWriteStatus.Done, revoked);
    }

    public Task<IReadOnlyList<StoredKey>?> ListKeysAsync(string appId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredKey>?>(_apps.ContainsKey(appId)
                ? [.. _keys.Where(k => k.AppId == appId).Select(k => k.Stored).OrderByDescending(k => k.Id).Take(AppLimits.MaxListedKeys)]
                : null);
        }
    }

    public Task<long> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_version);
        }
    }

    public Task<AppRegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            var keys = _keys.Where(k => k.Stored.WorksAt(now)).Select(k => new LiveKey(k.Id, k.AppId, k.Name, k.Kind, [.. k.Hash], k.RevokedAt));
            return Task.FromResult(new AppRegistrySnapshot(_version, [.. keys], [.. _apps.Values]));
        }
    }

    public Task RecordUseAsync(IReadOnlyList<KeyUse> uses, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var use in uses)
            {
                var index = _keys.FindIndex(k => k.Id == use.KeyId);
                if (index >= 0 && (_keys[index].LastUsedAt is not { } last || last < use.At))
                {
                    _keys[index] = _keys[index] with { LastUsedAt = use.At };
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Called under the lock.</summary>
    private Key Insert(string appId, string name, AppKeyKind kind, byte[] keyHash)
    {
        var key = new Key(++_lastKeyId, appId, name, kind, [.. keyHash], clock.GetUtcNow(), null, null);
        _keys.Add(key);
        _version++;
        return key;
    }

    private sealed record Key(long Id, string AppId, string Name, AppKeyKind Kind, byte[] Hash, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
    {
        public StoredKey Stored => new(Id, AppId, Name, Kind, CreatedAt, LastUsedAt, RevokedAt);
    }
}
