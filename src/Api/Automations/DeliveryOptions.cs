namespace ProductEvents.Api.Automations;

/// <summary>Bound from <c>ProductEvents:Deliveries</c>: how the webhook worker sends, retries and gives up.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "ProductEvents:Deliveries";

    /// <summary>Attempts before a delivery is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits up to this long; each further retry up to twice as long (full jitter).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One request's timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests in flight at most, per silo.</summary>
    public int Concurrency { get; set; } = 128;

    /// <summary>How often an idle worker looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
