namespace ProductEvents.Abstractions.Automations;

/// <summary>What started a run: a product event (id, type, product, event time) or a segment change (no product).</summary>
[GenerateSerializer, Immutable, Alias("pe.TriggerEvent")]
public sealed record TriggerEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? ProductId,
    [property: Id(3)] DateTimeOffset Timestamp,
    [property: Id(4)] ProductEventType? EventType = null,
    [property: Id(5)] string? SegmentId = null);
