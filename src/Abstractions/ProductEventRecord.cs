namespace ProductEvents.Abstractions;

/// <summary>One accepted product event as the log holds it.</summary>
/// <param name="Seq">The log position: unique and increasing in commit order; ties in time go to the higher one.</param>
/// <param name="Id">The id the API answered with.</param>
/// <param name="EventId">The client's idempotency key, if it sent one.</param>
/// <param name="CustomDataJson">The occurrence's <c>custom_data</c> object as JSON text, kept with this event only.</param>
[GenerateSerializer, Immutable, Alias("pe.ProductEventRecord")]
public sealed record ProductEventRecord(
    [property: Id(0)] long Seq,
    [property: Id(1)] Guid Id,
    [property: Id(2)] string AppId,
    [property: Id(3)] string ProductId,
    [property: Id(4)] ProductEventType EventType,
    [property: Id(5)] string? UserId,
    [property: Id(6)] string? UserKey,
    [property: Id(7)] string? Name,
    [property: Id(8)] DateTimeOffset Timestamp,
    [property: Id(9)] DateTimeOffset ReceivedAt,
    [property: Id(10)] string? EventId,
    [property: Id(11)] IReadOnlyDictionary<string, AttributeValue> Attributes,
    [property: Id(12)] string? CustomDataJson)
{
    /// <summary>The contact this event belongs to: the shop's user id, else the anonymous visitor key.</summary>
    public ContactRef Contact => ContactRef.From(UserId, UserKey);
}
