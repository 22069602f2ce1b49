using Microsoft.Extensions.Logging;
using ProductEvents.Api.Json;

namespace ProductEvents.Api.Contracts;

/// <summary>One event of a listing, as the log holds it; <c>number</c> is its integer id (its log position).</summary>
public sealed record ProductEventResponse(
    string Id,
    long Number,
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
    /// <param name="logger">Told of a stored custom_data written in its safe form (see <see cref="StoredCustomData"/>).</param>
    public static ProductEventResponse From(ProductEventRecord e, ILogger logger) => new(
        e.Id.ToString(),
        e.Seq,
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
        e.CustomDataJson is null ? null : StoredCustomData.Readable(e, logger));
}
