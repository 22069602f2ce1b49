using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Contracts;

/// <summary>A campaign's deliveries counted by status.</summary>
public sealed record CampaignDeliveriesResponse(long Pending, long Delivered, long Failed, long Dead)
{
    public static CampaignDeliveriesResponse From(IReadOnlyDictionary<DeliveryStatus, long> counts) => new(
        counts.GetValueOrDefault(DeliveryStatus.Pending),
        counts.GetValueOrDefault(DeliveryStatus.Delivered),
        counts.GetValueOrDefault(DeliveryStatus.Failed),
        counts.GetValueOrDefault(DeliveryStatus.Dead));
}
