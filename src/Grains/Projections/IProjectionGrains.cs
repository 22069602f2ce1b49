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

/// <summary>How the log's writer hands committed entries to a contact grain; not on <see cref="IContactGrain"/>.</summary>
[Alias("pe.IContactProjectionGrain")]
public interface IContactProjectionGrain : IGrainWithStringKey
{
    /// <inheritdoc cref="IProductProjectionGrain.ApplyAsync"/>
    [Alias("Apply")]
    Task ApplyAsync([Immutable] ProductEventRecord[] events, bool firstEntries);
}
