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

    /// <summary>
    /// The longest a campaign's timer or reminder is set for: timers refuse due times over 2^32-2 ms (about 49.7 days),
    /// so a later send time is reached in steps, each wake-up before it arming the next.
    /// </summary>
    public static readonly TimeSpan MaxWakeUpDelay = TimeSpan.FromDays(7);
}
