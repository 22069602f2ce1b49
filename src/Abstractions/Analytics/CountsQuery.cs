namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// Counts of events per type in buckets of <see cref="Interval"/> in <see cref="TimeZone"/> (an IANA id) over
/// [<see cref="Since"/>, <see cref="Until"/>), by event time. <see cref="Types"/> empty: every type.
/// <see cref="GroupBy"/>: also per value of the product's current attribute of that name (or <c>name</c>); the
/// <see cref="MaxGroups"/> largest groups get series of their own, the others one series marked rest.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.CountsQuery")]
public sealed record CountsQuery(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] AnalyticsInterval Interval,
    [property: Id(3)] string TimeZone,
    [property: Id(4)] IReadOnlyList<ProductEventType> Types,
    [property: Id(5)] string? ProductId,
    [property: Id(6)] string? GroupBy,
    [property: Id(7)] int MaxGroups);

/// <summary>
/// The buckets' start instants (the first at or before the query's since), the end of the last (the query's until moved
/// forward to a whole minute) and one series per type (and group).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.CountsAnswer")]
public sealed record CountsAnswer(
    [property: Id(0)] IndexState Index,
    [property: Id(1)] IReadOnlyList<DateTimeOffset> Buckets,
    [property: Id(2)] IReadOnlyList<CountSeries> Series,
    [property: Id(3)] DateTimeOffset End);

/// <summary>Counts per bucket of one event type (and, grouped, one group value; <see cref="Rest"/>: every smaller group).</summary>
[GenerateSerializer, Immutable, Alias("pe.an.CountSeries")]
public sealed record CountSeries(
    [property: Id(0)] ProductEventType Type,
    [property: Id(1)] AttributeValue? Group,
    [property: Id(2)] bool Rest,
    [property: Id(3)] long[] Counts,
    [property: Id(4)] long Total);
