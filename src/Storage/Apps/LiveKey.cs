namespace ProductEvents.Storage.Apps;

/// <summary>A key that lets requests in (or will until <see cref="RevokedAt"/>), by the SHA-256 of its text.</summary>
public sealed record LiveKey(long Id, string AppId, string Name, AppKeyKind Kind, byte[] Hash, DateTimeOffset? RevokedAt);
