namespace ProductEvents.Abstractions.Segments;

/// <summary>One entry of a segment's change feed: a join or a leave, numbered in the order it was recorded.</summary>
/// <param name="Erased">A leave recorded because the contact was erased: its earlier changes are gone, and no automation starts from it.</param>
[GenerateSerializer, Immutable, Alias("pe.SegmentChange")]
public sealed record SegmentChange(
    [property: Id(0)] long Number,
    [property: Id(1)] ContactRef Contact,
    [property: Id(2)] bool Joined,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] bool Erased = false);
