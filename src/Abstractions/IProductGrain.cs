namespace ProductEvents.Abstractions;

/// <summary>One product of one app, keyed by <see cref="GrainKeys.Product"/>.</summary>
[Alias("pe.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Applies committed log entries for this product, in log order; entries already applied are skipped.</summary>
    [Alias("Apply")]
    Task ApplyAsync(ProductEventRecord[] events);

    /// <summary>The product, or null when no event has created it.</summary>
    [Alias("Get")]
    Task<ProductSnapshot?> GetAsync();
}
