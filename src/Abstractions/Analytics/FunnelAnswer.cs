using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// A funnel's steps for every contact that entered it (or, with a breakdown, per group of the entry product's attribute),
/// or the definition's errors.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.FunnelAnswer")]
public sealed record FunnelAnswer(
    [property: Id(0)] IndexState Index,
    [property: Id(1)] IReadOnlyList<DefinitionError> Errors,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] DateTimeOffset Until,
    [property: Id(4)] TimeSpan Within,
    [property: Id(5)] IReadOnlyList<FunnelStep> Steps,
    [property: Id(6)] IReadOnlyList<FunnelGroup> Breakdown);

/// <summary>
/// How many contacts reached a step (0 is the entry), and the median time from the step before among them (null for
/// the entry and for a step no contact reached).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.FunnelStep")]
public sealed record FunnelStep(
    [property: Id(0)] int Step,
    [property: Id(1)] long Contacts,
    [property: Id(2)] double? MedianSecondsFromPrevious);

/// <summary>The steps of the contacts whose entry product has <see cref="Group"/> (null: no such attribute; <see cref="Rest"/>: every smaller group).</summary>
[GenerateSerializer, Immutable, Alias("pe.an.FunnelGroup")]
public sealed record FunnelGroup(
    [property: Id(0)] AttributeValue? Group,
    [property: Id(1)] bool Rest,
    [property: Id(2)] IReadOnlyList<FunnelStep> Steps);
