using System.Text.Json.Nodes;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Campaigns;

namespace ProductEvents.Api.Campaigns;

/// <summary>The API's shape of a campaign, its progress and its delivery report. The webhook secret is never answered back.</summary>
public static class CampaignJson
{
    public static JsonObject Campaign(CampaignInfo info, IReadOnlyDictionary<DeliveryStatus, long>? deliveries = null)
    {
        var spec = info.Spec;
        var result = new JsonObject
        {
            ["id"] = info.Id,
            ["name"] = spec.Name,
            ["segment_id"] = spec.SegmentId,
            ["send_at"] = spec.SendAt.UtcDateTime,
            ["throttle_per_second"] = spec.ThrottlePerSecond,
            ["action"] = new JsonObject
            {
                ["webhook"] = new JsonObject { ["url"] = spec.Url, ["template"] = spec.Template, ["secret_set"] = true },
            },
            ["status"] = info.Status.ToString().ToLowerInvariant(),
            ["total"] = info.Total,
            ["sent"] = info.Sent,
            ["failed"] = info.Failed,
            ["progress"] = Progress(info),
            ["created_at"] = spec.CreatedAt.UtcDateTime,
            ["started_at"] = info.StartedAt?.UtcDateTime,
            ["finished_at"] = info.FinishedAt?.UtcDateTime,
        };
        if (deliveries is not null)
        {
            result["deliveries"] = new JsonObject(Enum.GetValues<DeliveryStatus>()
                .Select(s => KeyValuePair.Create(s.ToString().ToLowerInvariant(), (JsonNode?)deliveries.GetValueOrDefault(s))));
        }

        return result;
    }

    /// <summary>From 0 to 1: members handled over the count at start; 1 once done (members may have left meanwhile).</summary>
    private static double Progress(CampaignInfo info) => info.Status switch
    {
        CampaignStatus.Done => 1,
        _ when info.Total == 0 => 0,
        _ => Math.Min(1, Math.Round((double)(info.Sent + info.Failed) / info.Total, 4)),
    };
}
