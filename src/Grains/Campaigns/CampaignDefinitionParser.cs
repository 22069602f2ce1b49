using System.Text.Json;
using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Grains.Automations;

namespace ProductEvents.Grains.Campaigns;

/// <summary>
/// Reads <c>{name, segment_id, send_at?, throttle_per_second?, action: {webhook}}</c>; every problem names its path.
/// Whether the segment exists is the registry's question, not the parser's.
/// </summary>
public static class CampaignDefinitionParser
{
    private static readonly string[] Keys = ["name", "segment_id", "send_at", "throttle_per_second", "action"];

    public static CampaignSpec? Parse(string json, DateTimeOffset now, List<SegmentDefinitionError> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            errors.Add(new("body", $"is not JSON: {ex.Message}"));
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new("body", "must be a JSON object with name, segment_id and action"));
                return null;
            }

            foreach (var unknown in root.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
            {
                errors.Add(new(unknown.Name, "unknown key; a campaign has name, segment_id, send_at, throttle_per_second and action"));
            }

            var name = String(root, "name");
            if (string.IsNullOrWhiteSpace(name) || name.Length > CampaignLimits.MaxNameLength)
            {
                errors.Add(new("name", $"is required: a string of 1 to {CampaignLimits.MaxNameLength} characters"));
            }

            var segmentId = String(root, "segment_id");
            if (string.IsNullOrEmpty(segmentId))
            {
                errors.Add(new("segment_id", "is required: the id of a segment of this app"));
            }

            var sendAt = now;
            if (root.TryGetProperty("send_at", out var at) && at.ValueKind != JsonValueKind.Null)
            {
                if (at.ValueKind != JsonValueKind.String || !IsoDateTime.TryParse(at.GetString(), out sendAt))
                {
                    errors.Add(new("send_at", "must be an ISO-8601 date-time such as 2026-12-01T09:00:00Z"));
                }
                else if (sendAt - now > CampaignLimits.MaxScheduleAhead)
                {
                    errors.Add(new("send_at", $"may be at most {CampaignLimits.MaxScheduleAhead.TotalDays} days ahead"));
                }
            }

            var throttle = CampaignLimits.DefaultThrottle;
            if (root.TryGetProperty("throttle_per_second", out var t) && t.ValueKind != JsonValueKind.Null
                && !(t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out throttle) && throttle is >= CampaignLimits.MinThrottle and <= CampaignLimits.MaxThrottle))
            {
                errors.Add(new("throttle_per_second", $"must be a whole number from {CampaignLimits.MinThrottle} to {CampaignLimits.MaxThrottle}"));
            }

            var webhook = root.TryGetProperty("action", out var action)
                ? WebhookActionParser.Parse(action, errors)
                : Missing(errors);
            return errors.Count == 0 ? new CampaignSpec(name!, segmentId!, sendAt, throttle, webhook!.Url.ToString(), webhook.Secret, webhook.TemplateText, now) : null;
        }
    }

    private static WebhookAction? Missing(List<SegmentDefinitionError> errors)
    {
        errors.Add(new("action", "is required: {\"webhook\": {\"url\", \"secret\", \"template\"}}"));
        return null;
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
