namespace ProductEvents.Grains.Segments;

/// <summary>Holds when every item holds.</summary>
[GenerateSerializer, Immutable, Alias("pe.seg.AllCondition")]
public sealed record AllCondition([property: Id(0)] IReadOnlyList<SegmentCondition> Items) : SegmentCondition
{
    public bool Equals(AllCondition? other) => other is not null && Structural.ListEquals(Items, other.Items);

    public override int GetHashCode() => Structural.ListHash(Items);
}
