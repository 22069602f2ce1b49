using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Json;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A product event in the User.com shape: integer <c>id</c> (the log position), <c>event_type</c> by name, the
/// product's and the contact's integer ids (<c>product</c>, <c>user</c>) next to the shop's ids, ISO-8601 times,
/// <c>data</c> as the client sent it (the attributes and <c>name</c>) and <c>custom_data</c> at the top level.
/// </summary>
/// <param name="UserCustomId">The shop's user id; null for a visitor not merged into a contact.</param>
/// <param name="CreatedAt">When the event was received.</param>
public sealed record UserComProductEvent(
    long Id,
    string EventType,
    long Product,
    string ProductCustomId,
    long User,
    string? UserCustomId,
    string? UserKey,
    DateTimeOffset Timestamp,
    DateTimeOffset CreatedAt,
    string? EventId,
    JsonObject Data,
    JsonElement? CustomData)
{
    /// <param name="contact">The event's contact: the one its visitor was merged into, if it was.</param>
    public static UserComProductEvent From(ProductEventRecord e, long product, ContactRef contact, long user, ILogger logger)
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

        return new UserComProductEvent(
            e.Seq, ProductEventTypes.Name(e.EventType), product, e.ProductId, user, contact.IsAnonymous ? null : contact.Value, e.UserKey, e.Timestamp, e.ReceivedAt, e.EventId,
            data, e.CustomDataJson is null ? null : StoredCustomData.Readable(e, logger));
    }
}
