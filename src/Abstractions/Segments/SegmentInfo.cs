namespace ProductEvents.Abstractions.Segments;

/// <summary>A segment's definition and build state. <see cref="ConditionJson"/> is the canonical condition text.</summary>
[GenerateSerializer, Immutable, Alias("pe.SegmentInfo")]
public sealed record SegmentInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string ConditionJson,
    [property: Id(3)] int Version,
    [property: Id(4)] SegmentStatus Status,
    [property: Id(5)] double Progress,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
