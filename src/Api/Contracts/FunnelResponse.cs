using System.Text.Json.Serialization;
using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Api.Contracts;

/// <summary>A funnel's steps for all entering contacts, and per group of the entry product's attribute when asked.</summary>
public sealed record FunnelResponse(
    DateTimeOffset Since,
    DateTimeOffset Until,
    double WithinSeconds,
    IReadOnlyList<FunnelStepResponse> Steps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FunnelGroupResponse>? Breakdown,
    long IndexThrough)
{
    public static FunnelResponse From(FunnelAnswer answer) => new(
        answer.Since,
        answer.Until,
        answer.Within.TotalSeconds,
        StepsOf(answer.Steps),
        answer.Breakdown.Count == 0 ? null : [.. answer.Breakdown.Select(g => new FunnelGroupResponse(g.Group, g.Rest ? true : null, StepsOf(g.Steps)))],
        answer.Index.Through);

    private static IReadOnlyList<FunnelStepResponse> StepsOf(IReadOnlyList<FunnelStep> steps) =>
        [.. steps.Select(s => new FunnelStepResponse(
            s.Step,
            s.Contacts,
            s.Step == 0 ? null : Ratio(s.Contacts, steps[s.Step - 1].Contacts),
            s.Step == 0 ? null : Ratio(s.Contacts, steps[0].Contacts),
            s.MedianSecondsFromPrevious))];

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;
}

/// <summary>
/// A step (0 is the entry): the contacts that reached it, the share of the previous step's and of the entry's that did,
/// and the median seconds from the previous step among them.
/// </summary>
public sealed record FunnelStepResponse(
    int Step,
    long Contacts,
    double? ConversionFromPrevious,
    double? ConversionFromFirst,
    double? MedianSecondsFromPrevious);

public sealed record FunnelGroupResponse(
    AttributeValue? Group,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Rest,
    IReadOnlyList<FunnelStepResponse> Steps);
