namespace ProductEvents.Storage.Apps;

/// <summary>
/// Apps and keys kept as data: tables in durable mode, shared by every silo and the <c>apps</c> command; a dictionary
/// in the embedded default. Every change is recorded in the audit log under <c>actor</c> (in durable mode in the same
/// transaction) and moves the registry version that processes poll to reload the keys that work.
/// </summary>
public interface IAppStore
{
    /// <summary>Creates the app; null when an app of that id is stored already.</summary>
    Task<StoredApp?> CreateAppAsync(string appId, string name, IReadOnlyList<string> allowedOrigins, string actor, CancellationToken cancellationToken = default);

    /// <summary>Changes what is given (null: kept); null when the app is not stored.</summary>
    Task<StoredApp?> UpdateAppAsync(string appId, string? name, IReadOnlyList<string>? allowedOrigins, string actor, CancellationToken cancellationToken = default);

    Task<StoredApp?> GetAppAsync(string appId, CancellationToken cancellationToken = default);

    /// <summary>Every stored app, by id.</summary>
    Task<IReadOnlyList<StoredApp>> ListAppsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a key by the hash of its text (<see cref="AppKeySecrets.Hash(string)"/>).</summary>
    Task<KeyWriteResult> AddKeyAsync(string appId, string name, AppKeyKind kind, byte[] keyHash, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the key of that name with a new one of the same name and kind; the old one keeps working for
    /// <paramref name="grace"/> (zero: revoked at once). The answer's key is the new one.
    /// </summary>
    /// <param name="newKeyHash">Called once with the kind of the key replaced; answers the hash of the new key's text.</param>
    Task<KeyWriteResult> RotateKeyAsync(string appId, string name, Func<AppKeyKind, byte[]> newKeyHash, TimeSpan grace, string actor, CancellationToken cancellationToken = default);

    /// <summary>Revokes now every key of that name that still works, a rotated one in its grace included.</summary>
    Task<KeyWriteResult> RevokeKeyAsync(string appId, string name, string actor, CancellationToken cancellationToken = default);

    /// <summary>The app's keys, newest first (at most <see cref="AppLimits.MaxListedKeys"/>); null when the app is not stored.</summary>
    Task<IReadOnlyList<StoredKey>?> ListKeysAsync(string appId, CancellationToken cancellationToken = default);

    /// <summary>A number that moves whenever an app or a key changes in a way that decides who gets in.</summary>
    Task<long> ReadVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>The stored apps and the keys that work now or until a future revocation.</summary>
    Task<AppRegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves the keys' last-used times forward (never back).</summary>
    Task RecordUseAsync(IReadOnlyList<KeyUse> uses, CancellationToken cancellationToken = default);
}
