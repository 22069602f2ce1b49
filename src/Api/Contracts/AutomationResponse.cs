using System.Text.Json.Serialization;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// An automation: its definition as it was written (the optional parts only when given, <c>null</c> kept), the webhook
/// secret replaced by <c>secret_set</c>, and its version. Times are written as they always were for automations (UTC, trimmed).
/// </summary>
public sealed record AutomationResponse(
    string Id,
    string Name,
    bool Enabled,
    JsonElement Trigger,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Wait,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Unless,
    ActionResponse Action,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? FrequencyCap,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static AutomationResponse From(AutomationInfo info)
    {
        // The stored definition is the validated body as sent: trigger and action are there, the others only if given.
        using var definition = JsonDocument.Parse(info.DefinitionJson);
        var root = definition.RootElement;
        var webhook = root.GetProperty("action").GetProperty("webhook");
        return new(
            info.Id,
            info.Name,
            info.Enabled,
            root.GetProperty("trigger").Clone(),
            Optional(root, "wait"),
            Optional(root, "unless"),
            new ActionResponse(new WebhookResponse(
                webhook.GetProperty("url").GetString()!,
                webhook.TryGetProperty("template", out var template) ? template.GetString() : null,
                webhook.TryGetProperty("secret", out _))),
            Optional(root, "frequency_cap"),
            info.Version,
            info.CreatedAt.UtcDateTime,
            info.UpdatedAt.UtcDateTime);
    }

    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.Clone() : null;
}
