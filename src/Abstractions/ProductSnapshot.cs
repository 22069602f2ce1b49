namespace ProductEvents.Abstractions;

/// <summary>A product as its events left it: the newest value of every attribute and the count of each event type.</summary>
[GenerateSerializer, Immutable, Alias("pe.ProductSnapshot")]
public sealed record ProductSnapshot(
    [property: Id(0)] string ProductId,
    [property: Id(1)] string? Name,
    [property: Id(2)] IReadOnlyDictionary<string, AttributeValue> Attributes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] IReadOnlyDictionary<ProductEventType, long> EventCounts,
    [property: Id(6)] long AppliedSeq);
