namespace ProductEvents.Abstractions.Campaigns;

/// <summary>One campaign, keyed "{app}/{campaignId}": waits for its send time, then sends page by page at its throttle.</summary>
[Alias("pe.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Stores the campaign and schedules it; a second call changes nothing and answers the campaign as it is.</summary>
    [Alias("Schedule")]
    Task<CampaignInfo> ScheduleAsync(CampaignSpec spec);

    [Alias("Get")]
    Task<CampaignInfo?> GetAsync();

    /// <summary>Stops a scheduled or sending campaign; null when there is no such campaign.</summary>
    [Alias("Cancel")]
    Task<CampaignInfo?> CancelAsync();

    /// <summary>Sends the next page when it is due (its timer and reminder call this).</summary>
    [Alias("Continue")]
    Task ContinueAsync();
}
