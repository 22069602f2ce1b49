namespace ProductEvents.Storage.Apps;

/// <summary>
/// A key as listed: never its text. <see cref="RevokedAt"/> in the future is a rotated key in its grace;
/// <see cref="LastUsedAt"/> is written at most once a minute per process.
/// </summary>
public sealed record StoredKey(
    long Id, string AppId, string Name, AppKeyKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool WorksAt(DateTimeOffset now) => RevokedAt is not { } revoked || revoked > now;
}
