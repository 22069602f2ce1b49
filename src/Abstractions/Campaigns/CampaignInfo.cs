namespace ProductEvents.Abstractions.Campaigns;

/// <summary>
/// A campaign and its progress. <see cref="Total"/> is the segment's member count when sending started;
/// <see cref="Sent"/> counts members whose webhook is in the outbox, <see cref="Failed"/> those whose message did not render.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.CampaignInfo")]
public sealed record CampaignInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] CampaignSpec Spec,
    [property: Id(2)] CampaignStatus Status,
    [property: Id(3)] long Total,
    [property: Id(4)] long Sent,
    [property: Id(5)] long Failed,
    [property: Id(6)] DateTimeOffset? StartedAt,
    [property: Id(7)] DateTimeOffset? FinishedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt);
