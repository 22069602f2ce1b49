namespace ProductEvents.Abstractions.Automations;

/// <summary>
/// One webhook in the outbox. <see cref="Body"/> is the exact JSON sent and <see cref="Signature"/> its
/// <c>X-ProductEvents-Signature</c> header, computed when it was enqueued (so the secret is not stored here).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.Delivery")]
public sealed record Delivery(
    [property: Id(0)] string Id,
    [property: Id(1)] string AppId,
    [property: Id(2)] string? AutomationId,
    [property: Id(3)] string? RunId,
    [property: Id(4)] string? CampaignId,
    [property: Id(5)] string Url,
    [property: Id(6)] string Body,
    [property: Id(7)] string Signature,
    [property: Id(8)] DeliveryStatus Status,
    [property: Id(9)] int Attempts,
    [property: Id(10)] DateTimeOffset NextAttemptAt,
    [property: Id(11)] string? LastError,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt);
