namespace ProductEvents.Storage.Apps;

/// <summary>What a key change did; <see cref="Key"/> is the key added (or, for a revocation, revoked) when it was done.</summary>
public sealed record KeyWriteResult(KeyWriteStatus Status, StoredKey? Key = null);
