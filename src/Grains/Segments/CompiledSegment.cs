namespace ProductEvents.Grains.Segments;

/// <summary>A segment definition parsed once per version, as contacts evaluate it.</summary>
public sealed record CompiledSegment(string Id, int Version, SegmentCondition Condition);
