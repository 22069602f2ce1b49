namespace ProductEvents.Grains.Projections;

/// <summary>How product and contact grains keep their snapshots. Bound from <c>ProductEvents:Projections</c>.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "ProductEvents:Projections";

    /// <summary>
    /// Write-behind interval for snapshots. Zero writes on every change. Whatever a snapshot misses is replayed from
    /// the event log on activation, so this trades storage writes against replay length, never against data.
    /// </summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most (product, event type) entries a contact keeps; the least recently active are dropped.</summary>
    public int MaxInteractionsPerContact { get; set; } = 5_000;
}
