namespace ProductEvents.Grains.Segments;

/// <summary>
/// Holds when the number of the contact's matching events satisfies <see cref="Count"/> (default: at least one).
/// A matching event has a type in <see cref="Types"/>, is on a product that passes every <see cref="Product"/> filter,
/// lies in the window (<see cref="Within"/>: at or after now − Within; <see cref="Since"/>/<see cref="Until"/>: at or
/// after Since and before Until; neither: all time) and, with <see cref="NotFollowedBy"/>, is not followed.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.seg.EventCondition")]
public sealed record EventCondition(
    [property: Id(0)] IReadOnlyList<ProductEventType> Types,
    [property: Id(1)] IReadOnlyList<ProductFilter> Product,
    [property: Id(2)] TimeSpan? Within,
    [property: Id(3)] DateTimeOffset? Since,
    [property: Id(4)] DateTimeOffset? Until,
    [property: Id(5)] CountRule Count,
    [property: Id(6)] FollowRule? NotFollowedBy) : SegmentCondition
{
    public bool Equals(EventCondition? other) =>
        other is not null
        && Structural.ListEquals(Types, other.Types)
        && Structural.ListEquals(Product, other.Product)
        && Within == other.Within
        && Since == other.Since
        && Until == other.Until
        && Equals(Count, other.Count)
        && Equals(NotFollowedBy, other.NotFollowedBy);

    public override int GetHashCode() =>
        HashCode.Combine(Structural.ListHash(Types), Structural.ListHash(Product), Within, Since, Until, Count, NotFollowedBy);
}
