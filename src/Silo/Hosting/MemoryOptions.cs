using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Bound from <c>ProductEvents:Memory</c>: the memory a silo may hold and how soon idle product and contact grains
/// go. <see cref="MemoryBudget"/> turns it into Orleans' activation collection settings.
/// </summary>
public sealed class MemoryOptions
{
    public const string Section = "ProductEvents:Memory";

    /// <summary>
    /// The silo's resident memory in MB at most; idle grains are deactivated (oldest first) to stay under it. 0: the
    /// memory available to the process (its container's limit, else the machine's).
    /// </summary>
    [Range(0, 16 * 1024 * 1024)]
    public int BudgetMegabytes { get; set; }

    /// <summary>
    /// Product, contact and frequency-cap grains idle this long are deactivated (Orleans' 15 minutes stays for the
    /// others). They are caches of the log and of grain storage, so a shorter age costs only their reloads.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00")]
    public TimeSpan GrainCollectionAge { get; set; } = TimeSpan.FromMinutes(5);
}
