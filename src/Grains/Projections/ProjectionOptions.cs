using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Grains.Projections;

/// <summary>How product and contact grains keep their snapshots. Bound from <c>ProductEvents:Projections</c>.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "ProductEvents:Projections";

    /// <summary>
    /// When above zero, a grain with unsaved entries also writes its snapshot this often. Off by default: a snapshot
    /// is written every <see cref="SnapshotEveryEntries"/> entries and on deactivation, and whatever it misses is
    /// replayed from the event log when the grain is next loaded, so the setting trades storage writes (and a timer per
    /// grain) against replay length, never against data.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.Zero;

    /// <summary>A grain writes its snapshot once this many entries are unsaved; 1 writes on every change.</summary>
    [Range(1, 1_000_000)]
    public int SnapshotEveryEntries { get; set; } = 100;

    /// <summary>
    /// A grain deactivated because it was idle, shed under the memory budget or its silo stops writes its snapshot only
    /// with at least this many unsaved entries (or a change not derived from entries, such as a contact's memberships);
    /// with fewer, its next activation replays them from the log. Other deactivations always write.
    /// </summary>
    [Range(1, 1_000_000)]
    public int CollectedSnapshotMinEntries { get; set; } = 20;

    /// <summary>The most (product, event type) entries a contact keeps; the least recently active are dropped.</summary>
    [Range(1, 1_000_000)]
    public int MaxInteractionsPerContact { get; set; } = 5_000;
}
