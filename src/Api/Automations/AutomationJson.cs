using System.Text.Json.Nodes;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Automations;

/// <summary>The API's shapes of automations, runs and deliveries. A webhook secret is write-only: never answered back.</summary>
public static class AutomationJson
{
    public static JsonObject Automation(AutomationInfo info)
    {
        var definition = JsonNode.Parse(info.DefinitionJson)!.AsObject();
        if (definition["action"]?["webhook"] is JsonObject webhook && webhook.Remove("secret"))
        {
            webhook["secret_set"] = true;
        }

        var result = new JsonObject { ["id"] = info.Id, ["name"] = info.Name, ["enabled"] = info.Enabled };
        foreach (var (key, value) in definition.ToList())
        {
            if (key is not ("name" or "enabled"))
            {
                definition.Remove(key);
                result[key] = value;
            }
        }

        result["version"] = info.Version;
        result["created_at"] = info.CreatedAt.UtcDateTime;
        result["updated_at"] = info.UpdatedAt.UtcDateTime;
        return result;
    }

    public static JsonObject Run(RunRecord run) => new()
    {
        ["run_id"] = run.RunId,
        ["user_id"] = run.Contact.IsAnonymous ? null : run.Contact.Value,
        ["user_key"] = run.Contact.IsAnonymous ? run.Contact.Value : null,
        ["status"] = StatusNames.Of(run.Status),
        ["due_at"] = run.DueAt.UtcDateTime,
        ["reason"] = run.Reason,
        ["updated_at"] = run.UpdatedAt.UtcDateTime,
        ["trigger"] = new JsonObject
        {
            ["kind"] = run.Trigger.Kind,
            ["event_id"] = run.Trigger.Kind == "event" ? run.Trigger.Id : null,
            ["event_type"] = run.Trigger.EventType is { } type ? ProductEvents.Abstractions.ProductEventTypes.Name(type) : null,
            ["product_id"] = run.Trigger.ProductId,
            ["segment_id"] = run.Trigger.SegmentId,
            ["timestamp"] = run.Trigger.Timestamp.UtcDateTime,
        },
    };

    public static JsonObject Delivery(Delivery d) => new()
    {
        ["id"] = d.Id,
        ["automation_id"] = d.AutomationId,
        ["run_id"] = d.RunId,
        ["campaign_id"] = d.CampaignId,
        ["url"] = d.Url,
        ["status"] = StatusNames.Of(d.Status),
        ["attempts"] = d.Attempts,
        ["next_attempt_at"] = d.Status is DeliveryStatus.Pending or DeliveryStatus.Failed ? d.NextAttemptAt.UtcDateTime : null,
        ["last_error"] = d.LastError,
        ["created_at"] = d.CreatedAt.UtcDateTime,
        ["updated_at"] = d.UpdatedAt.UtcDateTime,
        ["body"] = JsonNode.Parse(d.Body),
    };
}
