namespace ProductEvents.Grains.Segments;

/// <summary>One problem in a segment definition, at a path such as <c>condition.all[1].event.types[0]</c>.</summary>
[GenerateSerializer, Immutable, Alias("pe.seg.SegmentDefinitionError")]
public sealed record SegmentDefinitionError(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message);
