namespace ProductEvents.Abstractions;

/// <summary>One product of one app, keyed by <see cref="GrainKeys.Product"/>.</summary>
[Alias("pe.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>The product, or null when no event has created it.</summary>
    [Alias("Get")]
    Task<ProductSnapshot?> GetAsync();
}
