using System.Diagnostics;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>
/// A token bucket per app (<see cref="QuotaOptions"/>), kept by the log's writer, which sees every request of the
/// cluster. A request is admitted while the app's bucket holds as many tokens as it has events, or is full (a batch
/// larger than the burst is then admitted and leaves the bucket in debt); it takes one token per event. Used by the
/// writer's commit loop only: not thread-safe.
/// </summary>
internal sealed class AppQuotas(QuotaOptions options)
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Null when admitted (its tokens taken); else why not, and when it would fit.</summary>
    public QuotaExceeded? TryTake(string appId, int events)
    {
        var quota = options.For(appId);
        if (quota.Unlimited)
        {
            return null;
        }

        var now = Stopwatch.GetTimestamp();
        if (!_buckets.TryGetValue(appId, out var bucket))
        {
            bucket = new Bucket(quota.BucketSize, now);
            _buckets[appId] = bucket;
        }

        var size = quota.BucketSize;
        bucket.Tokens = Math.Min(size, bucket.Tokens + Stopwatch.GetElapsedTime(bucket.At, now).TotalSeconds * quota.EventsPerSecond);
        bucket.At = now;
        var needed = Math.Min(events, size);
        if (bucket.Tokens >= needed)
        {
            bucket.Tokens -= events;
            return null;
        }

        var wait = TimeSpan.FromSeconds((needed - bucket.Tokens) / quota.EventsPerSecond);
        return new QuotaExceeded(quota.EventsPerSecond, size, (long)Math.Max(0, Math.Floor(bucket.Tokens)), wait);
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        public long At { get; set; } = at;
    }
}
