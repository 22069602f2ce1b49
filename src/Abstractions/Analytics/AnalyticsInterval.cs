namespace ProductEvents.Abstractions.Analytics;

/// <summary>The width of a bucket of counts over time, in the query's time zone.</summary>
public enum AnalyticsInterval
{
    Minute = 0,
    Hour = 1,
    Day = 2,
}
