using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ProductEvents.Bench.Baselines;

/// <summary>The flat event shape of the ingest API, read the straightforward way: known fields, the rest are attributes.</summary>
public readonly record struct NaiveEvent(
    string ProductId, short EventType, string? UserId, string? UserKey, string? Name,
    DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string AttributesJson)
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "product_id", "event_type", "user_id", "user_key", "name", "timestamp", "event_id", "custom_data",
    };

    public static async Task<NaiveEvent?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("product_id", out var productId) || productId.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("event_type", out var eventType) || !eventType.TryGetInt16(out var type) || type is < 1 or > 16)
        {
            return null;
        }

        var userId = body.TryGetProperty("user_id", out var u) ? u.GetString() : null;
        var userKey = body.TryGetProperty("user_key", out var k) ? k.GetString() : null;
        if (userId is null && userKey is null)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var occurredAt = body.TryGetProperty("timestamp", out var t) && t.TryGetDateTimeOffset(out var at) ? at : now;
        var name = body.TryGetProperty("name", out var n) ? n.GetString() : null;

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in body.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return new NaiveEvent(productId.GetString()!, type, userId, userKey, name, occurredAt, now, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
