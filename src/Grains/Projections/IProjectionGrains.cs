namespace ProductEvents.Grains.Projections;

/// <summary>
/// How the log's writer (<see cref="Ingest.LogWriterGrain"/>) hands committed entries to a product grain. Not on
/// <see cref="IProductGrain"/>, which outside clients reference: only the writer applies entries, and only committed ones.
/// </summary>
[Alias("pe.IProductProjectionGrain")]
public interface IProductProjectionGrain : IGrainWithStringKey
{
    /// <summary>Applies committed log entries for this product, in log order; entries already applied are skipped.</summary>
    /// <param name="events">Never changed by the grain, nor by the caller once sent: a call inside the silo passes the array itself.</param>
    /// <param name="firstEntries">The log holds nothing for this product before these entries (then nothing is read).</param>
    [Alias("Apply")]
    Task ApplyAsync([Immutable] ProductEventRecord[] events, bool firstEntries);
}

/// <summary>
/// The silo's own calls to a contact grain, not on <see cref="IContactGrain"/>, which outside clients reference: the
/// log's writer hands it committed entries, and segment builds, window checks, product changes, recovery after a start
/// and erasures have it evaluate its segments again.
/// </summary>
[Alias("pe.IContactProjectionGrain")]
public interface IContactProjectionGrain : IGrainWithStringKey
{
    /// <inheritdoc cref="IProductProjectionGrain.ApplyAsync"/>
    [Alias("Apply")]
    Task ApplyAsync([Immutable] ProductEventRecord[] events, bool firstEntries);

    /// <summary>
    /// Evaluates the app's segments again (a window expired, a product changed, a segment is being built). With
    /// <paramref name="reassert"/>, the memberships stored for the contact are read and every one that differs from the
    /// evaluation is sent as well, not only the contact's own changes: after a crash that may have lost changes in
    /// flight.
    /// </summary>
    [Alias("Reevaluate")]
    Task ReevaluateAsync(bool reassert);

    /// <summary>
    /// Evaluates the app's segments as <see cref="ReevaluateAsync"/> does, for version <paramref name="version"/> of the
    /// build of segment <paramref name="segmentId"/>, and answers the build on that segment's stream: the change, or a
    /// message saying there is none. Completes once that answer is published, after every change the contact published
    /// before it, so a build that has received every answer has received every change.
    /// </summary>
    [Alias("EvaluateForBuild")]
    Task EvaluateForBuildAsync(string segmentId, int version);
}
