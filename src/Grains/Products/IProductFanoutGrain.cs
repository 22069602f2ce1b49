using Orleans.Concurrency;

namespace ProductEvents.Grains.Products;

/// <summary>Re-evaluates, away from the product grain, the segments of every contact who interacted with a product.</summary>
[Alias("pe.IProductFanoutGrain")]
public interface IProductFanoutGrain : IGrainWithIntegerKey
{
    [OneWay]
    [Alias("ReevaluateContactsOf")]
    Task ReevaluateContactsOfAsync(string appId, string productId);
}
