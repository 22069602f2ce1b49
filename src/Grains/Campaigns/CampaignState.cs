using ProductEvents.Abstractions.Campaigns;

namespace ProductEvents.Grains.Campaigns;

/// <summary>A campaign's definition and progress; <see cref="Cursor"/> is the last contact key sent, saved after each page.</summary>
[GenerateSerializer, Alias("pe.CampaignState")]
public sealed class CampaignState
{
    [Id(0)] public CampaignSpec? Spec { get; set; }

    [Id(1)] public CampaignStatus Status { get; set; }

    [Id(2)] public string? Cursor { get; set; }

    [Id(3)] public long Total { get; set; }

    [Id(4)] public long Sent { get; set; }

    [Id(5)] public long Failed { get; set; }

    [Id(6)] public DateTimeOffset NextPageAt { get; set; }

    [Id(7)] public DateTimeOffset? StartedAt { get; set; }

    [Id(8)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(9)] public DateTimeOffset UpdatedAt { get; set; }
}
