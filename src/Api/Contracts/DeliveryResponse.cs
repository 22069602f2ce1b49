using ProductEvents.Abstractions.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// One webhook delivery of the outbox, from an automation run or a campaign, with the body it sends;
/// <c>next_attempt_at</c> only while it is pending or failed (to be retried).
/// </summary>
public sealed record DeliveryResponse(
    string Id,
    string? AutomationId,
    string? RunId,
    string? CampaignId,
    string Url,
    string Status,
    int Attempts,
    DateTime? NextAttemptAt,
    string? LastError,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    JsonElement Body)
{
    public static DeliveryResponse From(Delivery d)
    {
        using var body = JsonDocument.Parse(d.Body);
        return new(
            d.Id,
            d.AutomationId,
            d.RunId,
            d.CampaignId,
            d.Url,
            StatusNames.Of(d.Status),
            d.Attempts,
            d.Status is DeliveryStatus.Pending or DeliveryStatus.Failed ? d.NextAttemptAt.UtcDateTime : null,
            d.LastError,
            d.CreatedAt.UtcDateTime,
            d.UpdatedAt.UtcDateTime,
            body.RootElement.Clone());
    }
}
