namespace ProductEvents.Grains.Segments;

/// <summary>
/// How many matching events an event node needs. Bounds are inclusive; a missing bound is open, so <c>{"lte": 3}</c>
/// also holds for a contact with none.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.seg.CountRule")]
public sealed record CountRule(
    [property: Id(0)] long? Gte,
    [property: Id(1)] long? Lte,
    [property: Id(2)] long? Eq)
{
    /// <summary>The rule of an event node without <c>count</c>.</summary>
    public static CountRule AtLeastOne { get; } = new(1, null, null);

    public bool IsSatisfiedBy(long count) =>
        (Eq is not { } eq || count == eq)
        && (Gte is not { } gte || count >= gte)
        && (Lte is not { } lte || count <= lte);
}
