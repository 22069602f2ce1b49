namespace ProductEvents.Storage.Apps;

/// <summary>A key seen in use at <see cref="At"/>.</summary>
public readonly record struct KeyUse(long KeyId, DateTimeOffset At);
