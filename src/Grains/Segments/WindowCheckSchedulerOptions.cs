using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Grains.Segments;

/// <summary>Bound from <c>ProductEvents:WindowChecks</c>: how each silo's window check scheduler looks for due checks.</summary>
public sealed class WindowCheckSchedulerOptions
{
    public const string Section = "ProductEvents:WindowChecks";

    /// <summary>
    /// How often an idle scheduler looks for due checks: the most a window of a contact that is not active expires late
    /// (an active contact's own timer is exact).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks claimed at once.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Contacts of a batch re-evaluated at once (each may activate its grain and replay its log).</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 32;

    /// <summary>How long a claimed check is held: a silo that dies holding it lets another take it after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}
