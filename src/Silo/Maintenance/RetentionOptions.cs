using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Silo.Maintenance;

/// <summary>Bound from <c>ProductEvents:Retention</c>: how the retention worker removes what the apps' retention periods let go.</summary>
public sealed class RetentionOptions
{
    public const string Section = "ProductEvents:Retention";

    /// <summary>How often a round runs (one silo of the cluster at a time); the first runs at start.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Entries one delete removes (one transaction), and queued contacts one step rebuilds.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Grain calls in flight at once: products sealed, contacts rebuilt.</summary>
    [Range(1, 1_000)]
    public int Concurrency { get; set; } = 16;
}
