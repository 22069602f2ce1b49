namespace ProductEvents.Grains.Campaigns;

public static class CampaignLimits
{
    public const int MaxCampaignsPerApp = 1000;
    public const int MaxNameLength = 200;
    public const int MinThrottle = 1;
    public const int MaxThrottle = 1000;
    public const int DefaultThrottle = 10;

    /// <summary>The most members one page sends; a faster throttle sends pages more often, not bigger.</summary>
    public const int MaxPageSize = 100;

    /// <summary>How far ahead a campaign may be scheduled.</summary>
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(365);
}
