namespace ProductEvents.Grains.Products;

/// <summary>Internal to the cluster: tells a product that some of its entries are about to leave the log.</summary>
[Alias("pe.IProductRetention")]
public interface IProductRetention : IGrainWithStringKey
{
    /// <summary>
    /// Makes sure the stored snapshot includes every entry of the product committed so far: a product keeps its
    /// attributes and event counts when the entries that brought them leave the log. Throws when it cannot store it.
    /// </summary>
    [Alias("Seal")]
    Task SealAsync();
}
