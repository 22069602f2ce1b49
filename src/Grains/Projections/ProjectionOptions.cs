namespace ProductEvents.Grains.Projections;

/// <summary>How product and contact grains keep their snapshots. Bound from <c>ProductEvents:Projections</c>.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "ProductEvents:Projections";

    /// <summary>
    /// A grain with unsaved entries writes its snapshot at least this often (and on deactivation). Whatever a snapshot
    /// misses is replayed from the event log when the grain is next loaded, so this trades storage writes against
    /// replay length, never against data.
    /// </summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A grain writes its snapshot once this many entries are unsaved; 1 writes on every change.</summary>
    public int SnapshotEveryEntries { get; set; } = 100;

    /// <summary>The most (product, event type) entries a contact keeps; the least recently active are dropped.</summary>
    public int MaxInteractionsPerContact { get; set; } = 5_000;
}
