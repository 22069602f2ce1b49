namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Per-app ingest quotas, bound from <c>ProductEvents:Quotas</c>: a rate and a burst per app (a token bucket), with a
/// default for apps not named. Enforced by the log's writer, which sees every process's requests, so the limit holds
/// cluster-wide. Over it, a request is answered 429 with Retry-After and the RateLimit headers; nothing of it is stored.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "ProductEvents:Quotas";

    /// <summary>The quota of every app not in <see cref="Apps"/>. Unlimited unless set.</summary>
    public AppQuota Default { get; set; } = new();

    /// <summary>Quotas of named apps (by app id).</summary>
    public Dictionary<string, AppQuota> Apps { get; set; } = new(StringComparer.Ordinal);

    public AppQuota For(string appId) => Apps.GetValueOrDefault(appId) ?? Default;
}

/// <summary>One app's quota: events per second on average, and how many may come at once.</summary>
public sealed class AppQuota
{
    /// <summary>Events per second an app may send on average; 0 is unlimited.</summary>
    public double EventsPerSecond { get; set; }

    /// <summary>Events an app may send at once above the rate (the bucket's size); 0 means one second of the rate.</summary>
    public double Burst { get; set; }

    public bool Unlimited => EventsPerSecond <= 0;

    public double BucketSize => Burst > 0 ? Burst : Math.Max(1, EventsPerSecond);
}
