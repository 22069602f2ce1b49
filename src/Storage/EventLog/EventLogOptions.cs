using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Storage.EventLog;

/// <summary>Bound from <c>ProductEvents:EventLog</c>.</summary>
public sealed class EventLogOptions
{
    public const string Section = "ProductEvents:EventLog";

    /// <summary>The in-memory log of the embedded default keeps the newest this many events; older ones are dropped.</summary>
    [Range(1, 100_000_000)]
    public int MemoryCapacity { get; set; } = 1_000_000;

    /// <summary>
    /// PostgreSQL: product and contact keys remembered as registered in <c>log_key_hashes</c> (see
    /// <see cref="KnownKeys"/>), whose events a commit need not register again. About 30 bytes each.
    /// </summary>
    [Range(0, 100_000_000)]
    public int KnownKeysCapacity { get; set; } = 1_000_000;
}
