using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// The webhook body <c>{automation_id, run_id, campaign_id, user_id, user_key, product, trigger_event, message}</c> and
/// its signature: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the secret.
/// </summary>
public static class WebhookPayload
{
    public const string SignatureHeader = "X-ProductEvents-Signature";

    public static string Build(string? automationId, string? runId, string? campaignId, ContactRef contact, string? productId, ProductSnapshot? product, TriggerEvent? trigger, string message)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("automation_id", automationId);
            json.WriteString("run_id", runId);
            if (campaignId is not null)
            {
                json.WriteString("campaign_id", campaignId);
            }

            json.WriteString("user_id", contact.IsAnonymous ? null : contact.Value);
            json.WriteString("user_key", contact.IsAnonymous ? contact.Value : null);
            if (productId is null)
            {
                json.WriteNull("product");
            }
            else
            {
                WriteProduct(json, productId, product);
            }

            if (trigger is null)
            {
                json.WriteNull("trigger_event");
            }
            else
            {
                json.WriteStartObject("trigger_event");
                json.WriteString("id", trigger.Id);
                json.WriteString("kind", trigger.Kind);
                json.WriteString("event_type", trigger.EventType is { } type ? ProductEventTypes.Name(type) : null);
                json.WriteString("product_id", trigger.ProductId);
                json.WriteString("segment_id", trigger.SegmentId);
                json.WriteString("timestamp", trigger.Timestamp.UtcDateTime);
                json.WriteEndObject();
            }

            json.WriteString("message", message);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static void WriteProduct(Utf8JsonWriter json, string productId, ProductSnapshot? product)
    {
        json.WriteStartObject("product");
        json.WriteString("product_id", productId);
        json.WriteString("name", product?.Name);
        json.WriteStartObject("attributes");
        foreach (var (name, value) in product?.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).AsEnumerable() ?? [])
        {
            json.WritePropertyName(name);
            switch (value.Kind)
            {
                case AttributeKind.Number:
                    json.WriteRawValue(value.Text!);
                    break;
                case AttributeKind.Boolean:
                    json.WriteBooleanValue(value.AsBoolean() == true);
                    break;
                case AttributeKind.String:
                    json.WriteStringValue(value.Text);
                    break;
                default:
                    json.WriteNullValue();
                    break;
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
