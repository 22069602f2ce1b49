namespace ProductEvents.Grains.Campaigns;

/// <summary>
/// The throttle as pages: at most <see cref="CampaignLimits.MaxPageSize"/> members a page, one page every
/// page size / rate seconds, so no second ever sees more than the rate enqueued (10/s: 10 every second; 1000/s: 100 every 100 ms).
/// </summary>
public static class CampaignPacing
{
    public static int PageSize(int throttlePerSecond) => Math.Clamp(throttlePerSecond, 1, CampaignLimits.MaxPageSize);

    public static TimeSpan Interval(int throttlePerSecond) =>
        TimeSpan.FromTicks(TimeSpan.TicksPerSecond * PageSize(throttlePerSecond) / Math.Max(1, throttlePerSecond));
}
