using System.Text.Json;

namespace ProductEvents.Grains.Automations;

/// <summary>Reads <c>action: {"webhook": {"url", "secret", "template"}}</c>; a template that does not parse is refused with Fluid's error.</summary>
public static class WebhookActionParser
{
    public static WebhookAction? Parse(JsonElement action, List<SegmentDefinitionError> errors, string path = "action")
    {
        if (action.ValueKind != JsonValueKind.Object || !action.TryGetProperty("webhook", out var webhook) || webhook.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be {\"webhook\": {\"url\", \"secret\", \"template\"}}"));
            return null;
        }

        var at = $"{path}.webhook";
        foreach (var unknown in action.EnumerateObject().Where(p => p.Name != "webhook"))
        {
            errors.Add(new($"{path}.{unknown.Name}", "unknown action; the action is webhook"));
        }

        foreach (var unknown in webhook.EnumerateObject().Where(p => p.Name is not ("url" or "secret" or "template")))
        {
            errors.Add(new($"{at}.{unknown.Name}", "unknown key; a webhook has url, secret and template"));
        }

        var before = errors.Count;
        var urlText = String(webhook, "url");
        if (urlText is null || urlText.Length > AutomationLimits.MaxUrlLength
            || !Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add(new($"{at}.url", $"is required: an absolute http or https URL of at most {AutomationLimits.MaxUrlLength} characters"));
            url = null;
        }

        var secret = String(webhook, "secret");
        if (string.IsNullOrEmpty(secret) || secret.Length > AutomationLimits.MaxSecretLength)
        {
            errors.Add(new($"{at}.secret", $"is required: a string of 1 to {AutomationLimits.MaxSecretLength} characters, the key of the HMAC-SHA256 signature"));
        }

        var text = webhook.TryGetProperty("template", out var t) ? String(webhook, "template") : "";
        Fluid.IFluidTemplate? template = null;
        if (text is null || text.Length > AutomationLimits.MaxTemplateLength)
        {
            errors.Add(new($"{at}.template", $"must be a Liquid template string of at most {AutomationLimits.MaxTemplateLength} characters"));
        }
        else if (!MessageTemplates.TryParse(text, out template, out var error))
        {
            errors.Add(new($"{at}.template", $"does not parse: {error}"));
        }

        return errors.Count == before ? new WebhookAction(url!, secret!, text!, template!) : null;
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
