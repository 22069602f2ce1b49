namespace ProductEvents.Abstractions.Segments;

/// <summary>A segment a contact belongs to, and since when.</summary>
[GenerateSerializer, Immutable, Alias("pe.ContactSegment")]
public sealed record ContactSegment(
    [property: Id(0)] string SegmentId,
    [property: Id(1)] DateTimeOffset Since);
