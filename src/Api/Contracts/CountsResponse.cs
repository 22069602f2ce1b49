using System.Text.Json.Serialization;
using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// Counts over time: <c>buckets</c> are the buckets' start instants (UTC; the first at or before since), each series
/// has one count per bucket. <c>since</c> is the first bucket's start, <c>until</c> the end of the last.
/// </summary>
public sealed record CountsResponse(
    string Interval,
    string Tz,
    DateTimeOffset Since,
    DateTimeOffset Until,
    IReadOnlyList<DateTimeOffset> Buckets,
    IReadOnlyList<CountSeriesResponse> Series,
    long IndexThrough)
{
    public static CountsResponse From(CountsQuery query, CountsAnswer answer) => new(
        query.Interval.ToString().ToLowerInvariant(),
        query.TimeZone,
        answer.Buckets.Count > 0 ? answer.Buckets[0] : query.Since,
        answer.End,
        answer.Buckets,
        [.. answer.Series.Select(s => new CountSeriesResponse(
            ProductEventTypes.Name(s.Type), (int)s.Type, s.Group, s.Rest ? true : null, s.Counts, s.Total))],
        answer.Index.Through);
}

/// <summary>One event type's counts (grouped: of one group value, or <c>rest: true</c> for every smaller group).</summary>
public sealed record CountSeriesResponse(
    string EventType,
    int EventTypeId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AttributeValue? Group,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Rest,
    long[] Counts,
    long Total);

/// <summary>A product's counts per type over time.</summary>
public sealed record TimelineResponse(string ProductId, CountsResponse Counts);
