namespace ProductEvents.Grains.Segments;

/// <summary>
/// A node of a segment's condition: <see cref="AllCondition"/>, <see cref="AnyCondition"/>, <see cref="NotCondition"/> or
/// <see cref="EventCondition"/>. Equality is structural (lists compare by their items), so a parsed definition can be
/// compared with a stored one.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.seg.SegmentCondition")]
public abstract record SegmentCondition
{
    /// <summary>The canonical JSON of the condition: readable in test failures and logs.</summary>
    public sealed override string ToString() => SegmentConditionJson.Write(this);
}
