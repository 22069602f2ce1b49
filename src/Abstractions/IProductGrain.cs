namespace ProductEvents.Abstractions;

/// <summary>One product of one app, keyed by <see cref="GrainKeys.Product"/>.</summary>
[Alias("pe.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Applies committed log entries for this product, in log order; entries already applied are skipped.</summary>
    [Alias("Apply")]
    /// <param name="events">Never changed by the grain, nor by the caller once sent: a call inside the silo passes the array itself.</param>
    /// <param name="firstEntries">The log holds nothing for this product before these entries (then nothing is read).</param>
    Task ApplyAsync([Immutable] ProductEventRecord[] events, bool firstEntries);

    /// <summary>The product, or null when no event has created it.</summary>
    [Alias("Get")]
    Task<ProductSnapshot?> GetAsync();
}
