using ProductEvents.Storage.Apps;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A key without its text. <c>status</c>: <c>active</c>, <c>expiring</c> (a rotated key in its grace, until
/// <c>revoked_at</c>) or <c>revoked</c>. <c>last_used_at</c> is written at most once a minute per silo.
/// </summary>
public sealed record AppKeyResponse(
    long Id, string Name, string Kind, string Status, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static AppKeyResponse From(StoredKey key, DateTimeOffset now) => new(
        key.Id, key.Name, AppKeyKinds.Name(key.Kind),
        key.RevokedAt is null ? "active" : key.WorksAt(now) ? "expiring" : "revoked",
        key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}
