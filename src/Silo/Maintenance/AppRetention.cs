using ProductEvents.Api.Apps;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Silo.Maintenance;

/// <summary>The apps' retention periods (<c>ProductEvents:Apps:&lt;appId&gt;:Retention</c>), parsed; an app without one keeps its events.</summary>
public static class AppRetention
{
    public static readonly TimeSpan Minimum = TimeSpan.FromDays(1);

    public static IReadOnlyDictionary<string, TimeSpan> Of(AppsOptions apps) =>
        apps.Apps
            .Where(a => !string.IsNullOrEmpty(a.Value.Retention) && IsoDuration.TryParse(a.Value.Retention, out _))
            .ToDictionary(a => a.Key, a => Parse(a.Value.Retention!), StringComparer.Ordinal);

    /// <summary>Why the text is not a retention period; null when it is.</summary>
    public static string? Problem(string text)
    {
        if (!IsoDuration.TryParse(text, out var period, out var calendar))
        {
            return calendar
                ? $"'{text}' uses years or months, whose length depends on the calendar; give days or weeks (P400D, P52W)"
                : $"'{text}' is not an ISO-8601 duration such as P400D";
        }

        return period < Minimum ? $"'{text}' is shorter than the minimum of one day (P1D)" : null;
    }

    private static TimeSpan Parse(string text)
    {
        IsoDuration.TryParse(text, out var period);
        return period;
    }
}
