using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Json;
using ProductEvents.Abstractions;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A product event in the User.com shape: numeric <c>event_type</c>, unix-seconds <c>timestamp</c>, and in <c>data</c>
/// what a client sends there (the attributes, <c>name</c> and <c>custom_data</c>).
/// </summary>
public sealed record UserComProductEvent(
    string Id,
    int EventType,
    string EventTypeName,
    string ProductCustomId,
    string? UserCustomId,
    string? UserKey,
    decimal Timestamp,
    JsonObject Data)
{
    public static UserComProductEvent From(ProductEventRecord e, ILogger logger)
    {
        var data = new JsonObject();
        foreach (var (key, value) in e.Attributes)
        {
            data[key] = value.Kind switch
            {
                AttributeKind.String => JsonValue.Create(value.Text),
                AttributeKind.Number => JsonNode.Parse(value.Text!),
                AttributeKind.Boolean => JsonValue.Create(value.Text == "true"),
                _ => null,
            };
        }

        if (e.Name is not null)
        {
            data["name"] = e.Name;
        }

        if (e.CustomDataJson is not null)
        {
            data["custom_data"] = JsonSerializer.SerializeToNode(StoredCustomData.Readable(e, logger));
        }

        var micros = (e.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return new UserComProductEvent(
            e.Id.ToString(), (int)e.EventType, ProductEventTypes.Name(e.EventType), e.ProductId, e.UserId, e.UserKey, micros / 1_000_000m, data);
    }
}
