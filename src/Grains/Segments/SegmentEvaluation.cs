namespace ProductEvents.Grains.Segments;

/// <summary>
/// Whether a contact is in a segment now, and the instant by which it must be evaluated again because time alone
/// could change the answer (null: only a new event or a product change can).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.seg.SegmentEvaluation")]
public readonly record struct SegmentEvaluation(
    [property: Id(0)] bool IsMember,
    [property: Id(1)] DateTimeOffset? NextCheckAt);
