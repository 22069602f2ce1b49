using System.Text.Json;
using ProductEvents.Abstractions;

namespace ProductEvents.Api.Contracts;

/// <summary>One event of a listing, as the log holds it.</summary>
public sealed record ProductEventResponse(
    string Id,
    string ProductId,
    string? UserId,
    string? UserKey,
    string EventType,
    int EventTypeId,
    string? Name,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    string? EventId,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    JsonElement? CustomData)
{
    public static ProductEventResponse From(ProductEventRecord e) => new(
        e.Id.ToString(),
        e.ProductId,
        e.UserId,
        e.UserKey,
        ProductEventTypes.Name(e.EventType),
        (int)e.EventType,
        e.Name,
        e.Timestamp,
        e.ReceivedAt,
        e.EventId,
        e.Attributes,
        e.CustomDataJson is null ? null : JsonDocument.Parse(e.CustomDataJson).RootElement.Clone());
}
