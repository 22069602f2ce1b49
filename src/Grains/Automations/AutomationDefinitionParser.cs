using System.Text.Json;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Reads and validates an automation definition: <c>{name, trigger, wait, unless, action, frequency_cap, enabled}</c>.
/// Every problem names its path (<c>trigger.event.types[0]</c>, <c>action.webhook.template</c>).
/// </summary>
public static class AutomationDefinitionParser
{
    private const string DurationText = "must be an ISO-8601 duration such as PT30M, PT3H or P1D, or a number of seconds";
    private static readonly string[] Keys = ["name", "trigger", "wait", "unless", "action", "frequency_cap", "enabled"];

    public static AutomationDefinition? Parse(JsonElement root, List<SegmentDefinitionError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("", "must be a JSON object with name, trigger, action and optionally wait, unless, frequency_cap, enabled"));
            return null;
        }

        foreach (var unknown in root.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
        {
            errors.Add(new(unknown.Name, $"unknown key; an automation has: {string.Join(", ", Keys)}"));
        }

        var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
        if (string.IsNullOrWhiteSpace(name) || name.Length > AutomationLimits.MaxNameLength)
        {
            errors.Add(new("name", $"is required: a string of 1 to {AutomationLimits.MaxNameLength} characters"));
        }

        var enabled = true;
        if (root.TryGetProperty("enabled", out var en))
        {
            if (en.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = en.GetBoolean();
            }
            else
            {
                errors.Add(new("enabled", "must be true or false"));
            }
        }

        var (eventTrigger, segmentTrigger) = root.TryGetProperty("trigger", out var t)
            ? TriggerParser.Parse(t, errors)
            : Missing<(EventCondition?, SegmentTrigger?)>(errors, "trigger", "is required: {\"event\": {...}} or {\"segment\": {\"id\", \"on\"}}", default);
        var wait = root.TryGetProperty("wait", out var w) ? ParseDuration(w, "wait", errors, allowZero: true) ?? TimeSpan.Zero : TimeSpan.Zero;
        UnlessCondition? unless = null;
        string? unlessJson = null;
        if (root.TryGetProperty("unless", out var u) && u.ValueKind != JsonValueKind.Null)
        {
            unless = UnlessConditionParser.Parse(u, errors);
            unlessJson = u.GetRawText();
        }

        var webhook = root.TryGetProperty("action", out var a)
            ? WebhookActionParser.Parse(a, errors)
            : Missing<WebhookAction?>(errors, "action", "is required: {\"webhook\": {\"url\", \"secret\", \"template\"}}", null);
        var cap = root.TryGetProperty("frequency_cap", out var c) && c.ValueKind != JsonValueKind.Null ? ParseCap(c, errors) : null;
        return errors.Count == 0
            ? new AutomationDefinition(name!, enabled, eventTrigger, segmentTrigger, wait, unless, unlessJson, webhook!, cap)
            : null;
    }

    public static TimeSpan? ParseDuration(JsonElement value, string path, List<SegmentDefinitionError> errors, bool allowZero)
    {
        TimeSpan duration;
        if (value.ValueKind == JsonValueKind.String && IsoDuration.TryParse(value.GetString(), out var parsed))
        {
            duration = parsed;
        }
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds))
        {
            // Range first: TimeSpan.FromSeconds throws on what it cannot hold (-1e20, an infinity).
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > AutomationLimits.MaxWait.TotalSeconds)
            {
                errors.Add(new(path, $"must be {(allowZero ? "zero" : "longer than zero")} to {AutomationLimits.MaxWait.TotalDays} days"));
                return null;
            }

            duration = TimeSpan.FromSeconds(seconds);
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString() is "PT0S" or "P0D")
        {
            duration = TimeSpan.Zero;
        }
        else
        {
            errors.Add(new(path, DurationText));
            return null;
        }

        if (duration < TimeSpan.Zero || (!allowZero && duration == TimeSpan.Zero) || duration > AutomationLimits.MaxWait)
        {
            errors.Add(new(path, $"must be {(allowZero ? "zero" : "longer than zero")} to {AutomationLimits.MaxWait.TotalDays} days"));
            return null;
        }

        return duration;
    }

    private static FrequencyCap? ParseCap(JsonElement cap, List<SegmentDefinitionError> errors)
    {
        if (cap.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("frequency_cap", "must be an object {\"max\": n, \"per\": \"P1D\"}"));
            return null;
        }

        int? max = null;
        if (!cap.TryGetProperty("max", out var m) || m.ValueKind != JsonValueKind.Number || !m.TryGetInt32(out var value) || value < 1 || value > AutomationLimits.MaxCap)
        {
            errors.Add(new("frequency_cap.max", $"is required: a whole number from 1 to {AutomationLimits.MaxCap}"));
        }
        else
        {
            max = value;
        }

        var per = cap.TryGetProperty("per", out var p)
            ? ParseDuration(p, "frequency_cap.per", errors, allowZero: false)
            : Missing<TimeSpan?>(errors, "frequency_cap.per", "is required: " + DurationText, null);
        foreach (var unknown in cap.EnumerateObject().Where(x => x.Name is not ("max" or "per")))
        {
            errors.Add(new($"frequency_cap.{unknown.Name}", "unknown key; a frequency cap has max and per"));
        }

        return max is { } mx && per is { } pr ? new FrequencyCap(mx, pr) : null;
    }

    private static T Missing<T>(List<SegmentDefinitionError> errors, string path, string message, T value)
    {
        errors.Add(new(path, message));
        return value;
    }
}
