namespace ProductEvents.Abstractions.Campaigns;

[GenerateSerializer, Alias("pe.CampaignStatus")]
public enum CampaignStatus
{
    None = 0,
    Scheduled = 1,
    Sending = 2,
    Done = 3,
    Cancelled = 4,
}
