namespace ProductEvents.Abstractions.Segments;

/// <summary>A member of a segment and since when.</summary>
[GenerateSerializer, Immutable, Alias("pe.SegmentMember")]
public sealed record SegmentMember(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] DateTimeOffset Since);
