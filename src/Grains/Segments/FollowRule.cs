namespace ProductEvents.Grains.Segments;

/// <summary>
/// <c>not_followed_by</c>: an event counts only when no event of <see cref="Types"/> on the same product comes after it
/// (within <see cref="Within"/> of it, when given).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.seg.FollowRule")]
public sealed record FollowRule(
    [property: Id(0)] IReadOnlyList<ProductEventType> Types,
    [property: Id(1)] TimeSpan? Within)
{
    public bool Equals(FollowRule? other) =>
        other is not null && Within == other.Within && Structural.ListEquals(Types, other.Types);

    public override int GetHashCode() => HashCode.Combine(Structural.ListHash(Types), Within);
}
