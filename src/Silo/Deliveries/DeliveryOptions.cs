using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Silo.Deliveries;

/// <summary>Bound from <c>ProductEvents:Deliveries</c>: how the webhook worker sends, retries and gives up.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "ProductEvents:Deliveries";

    /// <summary>Attempts before a delivery is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits up to this long; each further retry up to twice as long (full jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One request's timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests in flight at most, per silo.</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 128;

    /// <summary>
    /// Requests in flight at most for one app, per silo: an app whose receiver is slow or hangs holds no more than
    /// these, and the others' webhooks go on. Each claim also takes at most this many of one app, oldest first.
    /// </summary>
    [Range(1, 10_000)]
    public int ConcurrencyPerApp { get; set; } = 16;

    /// <summary>How often an idle worker looks for due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
