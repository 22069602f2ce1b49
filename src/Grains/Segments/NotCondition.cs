namespace ProductEvents.Grains.Segments;

/// <summary>Holds when <see cref="Inner"/> does not.</summary>
[GenerateSerializer, Immutable, Alias("pe.seg.NotCondition")]
public sealed record NotCondition([property: Id(0)] SegmentCondition Inner) : SegmentCondition;
