using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Tests.Support;

/// <summary>Builds log records for tests; only what a test names differs from the defaults.</summary>
public static class Events
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public static ProductEventRecord Record(
        long seq = 0,
        string appId = "app",
        string productId = "p-1",
        ProductEventType type = ProductEventType.View,
        string? userId = "u-1",
        string? userKey = null,
        string? name = null,
        DateTimeOffset? timestamp = null,
        DateTimeOffset? receivedAt = null,
        string? eventId = null,
        IReadOnlyDictionary<string, AttributeValue>? attributes = null,
        string? customDataJson = null) =>
        new(
            seq,
            Guid.NewGuid(),
            appId,
            productId,
            type,
            userId,
            userKey,
            name,
            timestamp ?? T0,
            receivedAt ?? timestamp ?? T0,
            eventId,
            attributes ?? new Dictionary<string, AttributeValue>(),
            customDataJson);

    public static IReadOnlyDictionary<string, AttributeValue> Attributes(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => AttributeValue.FromString(p.Value), StringComparer.Ordinal);
}
