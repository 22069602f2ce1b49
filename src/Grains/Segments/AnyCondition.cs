namespace ProductEvents.Grains.Segments;

/// <summary>Holds when at least one item holds.</summary>
[GenerateSerializer, Immutable, Alias("pe.seg.AnyCondition")]
public sealed record AnyCondition([property: Id(0)] IReadOnlyList<SegmentCondition> Items) : SegmentCondition
{
    public bool Equals(AnyCondition? other) => other is not null && Structural.ListEquals(Items, other.Items);

    public override int GetHashCode() => Structural.ListHash(Items);
}
