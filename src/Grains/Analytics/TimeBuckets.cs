using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Grains.Analytics;

/// <summary>
/// The bucket boundaries of a range in a time zone: a bucket starts where the local minute, hour or day changes, so
/// buckets follow daylight-saving changes (a local day may last 23 or 25 hours) and zones whose offset is not a whole
/// hour (UTC+05:30, UTC+05:45). Every zone's offset is a multiple of 15 minutes, so looking every 15 minutes finds each
/// hour and day boundary.
/// </summary>
public static class TimeBuckets
{
    /// <summary>Buckets one query may ask for; more is a 400.</summary>
    public const int MaxBuckets = 1000;

    private static readonly long Step = TimeSpan.FromMinutes(15).Ticks;

    /// <summary>
    /// The UTC ticks of each bucket's start, the first at or before <paramref name="since"/>, then one more: the end
    /// (<paramref name="until"/>, moved forward to a whole minute). Null when the range needs more than <see cref="MaxBuckets"/> buckets.
    /// </summary>
    public static long[]? Boundaries(DateTimeOffset since, DateTimeOffset until, AnalyticsInterval interval, TimeZoneInfo zone)
    {
        // The range's end moves forward to a whole minute, so every bucket is made of whole minutes.
        var start = since.UtcTicks;
        var end = until.UtcTicks + TimeSpan.TicksPerMinute - 1 - ((until.UtcTicks + TimeSpan.TicksPerMinute - 1) % TimeSpan.TicksPerMinute);
        var boundaries = new List<long>();
        if (interval == AnalyticsInterval.Minute)
        {
            if ((end - start) / TimeSpan.TicksPerMinute > MaxBuckets)
            {
                return null;
            }

            for (var t = start - (start % TimeSpan.TicksPerMinute); t < end; t += TimeSpan.TicksPerMinute)
            {
                boundaries.Add(t);
            }
        }
        else
        {
            var width = interval == AnalyticsInterval.Hour ? TimeSpan.TicksPerHour : TimeSpan.TicksPerDay;
            if ((end - start) / width > MaxBuckets + 1)
            {
                return null;
            }

            // From a day before since (a local day is at most 26 hours long), keep the last boundary at or before since.
            var t = start - (start % Step) - TimeSpan.TicksPerDay - TimeSpan.TicksPerHour * 2;
            var previous = LocalUnit(t - Step, interval, zone);
            for (; t < end; t += Step)
            {
                var unit = LocalUnit(t, interval, zone);
                if (unit != previous)
                {
                    if (t <= start)
                    {
                        boundaries.Clear();
                    }

                    boundaries.Add(t);
                    previous = unit;
                }
            }

            if (boundaries.Count > MaxBuckets)
            {
                return null;
            }
        }

        if (boundaries.Count == 0 || boundaries[0] > start)
        {
            boundaries.Insert(0, start);
        }

        boundaries.Add(end);
        return [.. boundaries];
    }

    /// <summary>The bucket holding <paramref name="ticks"/>, or -1 outside the range.</summary>
    public static int BucketOf(long[] boundaries, long ticks)
    {
        if (ticks < boundaries[0] || ticks >= boundaries[^1])
        {
            return -1;
        }

        var i = Array.BinarySearch(boundaries, 0, boundaries.Length - 1, ticks);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>
    /// The local hour or day an instant falls in. An hour is also told apart by its offset: when clocks go back, the
    /// repeated local hour is a bucket of its own; a day is not, so the local day keeps its 25 hours.
    /// </summary>
    private static (long Unit, long Offset) LocalUnit(long utcTicks, AnalyticsInterval interval, TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
        var local = utcTicks + offset;
        return interval == AnalyticsInterval.Hour ? (local / TimeSpan.TicksPerHour, offset) : (local / TimeSpan.TicksPerDay, 0);
    }
}
