using System.Text.Json.Serialization;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Campaigns;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A campaign, its progress and, when read on its own, its delivery report. The webhook secret is never answered back.
/// </summary>
public sealed record CampaignResponse(
    string Id,
    string Name,
    string SegmentId,
    DateTime SendAt,
    int ThrottlePerSecond,
    ActionResponse Action,
    string Status,
    long Total,
    long Sent,
    long Failed,
    double Progress,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CampaignDeliveriesResponse? Deliveries)
{
    public static CampaignResponse From(CampaignInfo info, IReadOnlyDictionary<DeliveryStatus, long>? deliveries = null)
    {
        var spec = info.Spec;
        return new(
            info.Id,
            spec.Name,
            spec.SegmentId,
            spec.SendAt.UtcDateTime,
            spec.ThrottlePerSecond,
            new ActionResponse(new WebhookResponse(spec.Url, spec.Template, SecretSet: true)),
            info.Status.ToString().ToLowerInvariant(),
            info.Total,
            info.Sent,
            info.Failed,
            ProgressOf(info),
            spec.CreatedAt.UtcDateTime,
            info.StartedAt?.UtcDateTime,
            info.FinishedAt?.UtcDateTime,
            deliveries is null ? null : CampaignDeliveriesResponse.From(deliveries));
    }

    /// <summary>From 0 to 1: members handled over the count at start; 1 once done (members may have left meanwhile).</summary>
    private static double ProgressOf(CampaignInfo info) => info.Status switch
    {
        CampaignStatus.Done => 1,
        _ when info.Total == 0 => 0,
        _ => Math.Min(1, Math.Round((double)(info.Sent + info.Failed) / info.Total, 4)),
    };
}
