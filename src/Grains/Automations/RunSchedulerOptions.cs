using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Grains.Automations;

/// <summary>Bound from <c>ProductEvents:Runs</c>: how each silo's run scheduler looks for due runs and fires them.</summary>
public sealed class RunSchedulerOptions
{
    public const string Section = "ProductEvents:Runs";

    /// <summary>How often an idle scheduler looks for due runs: the most a run waits past its due time when nothing else is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs claimed at once.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Runs of a batch firing at once (each asks its contact and products).</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 64;

    /// <summary>How long a claimed run is held: a silo that dies holding it lets another fire it after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}
