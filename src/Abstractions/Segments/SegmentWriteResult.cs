namespace ProductEvents.Abstractions.Segments;

/// <summary>The outcome of creating or editing a segment: the segment, or why the definition was refused.</summary>
[GenerateSerializer, Immutable, Alias("pe.SegmentWriteResult")]
public sealed record SegmentWriteResult(
    [property: Id(0)] SegmentInfo? Segment,
    [property: Id(1)] IReadOnlyList<DefinitionError> Errors,
    [property: Id(2)] bool LimitReached = false);
