using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A contact's product interactions: per product and event type, how often and when (event time). <c>id</c> is its
/// integer id (the one the User.com-compatible layer uses).
/// </summary>
public sealed record ContactResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Id,
    string UserId,
    long EventCount,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    IReadOnlyList<InteractionResponse> Interactions)
{
    public static ContactResponse From(ContactSnapshot contact, long? id = null) => new(
        id,
        contact.Contact.Value,
        contact.EventCount,
        contact.FirstSeenAt,
        contact.LastSeenAt,
        contact.Interactions.Select(InteractionResponse.From).ToArray());
}

public sealed record InteractionResponse(
    string ProductId,
    string EventType,
    int EventTypeId,
    long Count,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt)
{
    public static InteractionResponse From(ContactInteraction i) =>
        new(i.ProductId, ProductEventTypes.Name(i.EventType), (int)i.EventType, i.Count, i.FirstAt, i.LastAt);
}
