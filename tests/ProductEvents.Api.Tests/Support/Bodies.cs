using System.Text.Json.Nodes;

namespace ProductEvents.Api.Tests.Support;

/// <summary>Request bodies: a valid event to start from, which a test then changes.</summary>
public static class Bodies
{
    public static JsonObject Event(string productId, string userId, JsonNode? eventType = null, string? timestamp = null)
    {
        var body = new JsonObject
        {
            ["product_id"] = productId,
            ["event_type"] = eventType ?? JsonValue.Create("view"),
            ["user_id"] = userId,
        };
        if (timestamp is not null)
        {
            body["timestamp"] = timestamp;
        }

        return body;
    }

    /// <summary>An event time well in the past, <paramref name="minutes"/> after a fixed origin.</summary>
    public static string At(int minutes) =>
        new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero).AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
