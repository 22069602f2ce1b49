using Orleans.Concurrency;
using ProductEvents.Grains.Projections;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Products;

[StatelessWorker]
public sealed class ProductFanoutGrain(IEventLogReader log, ILogger<ProductFanoutGrain> logger) : Grain, IProductFanoutGrain
{
    private const int Parallelism = 64;

    public async Task ReevaluateContactsOfAsync(string appId, string productId)
    {
        try
        {
            var contacts = await log.ListContactsOfProductAsync(appId, productId);
            foreach (var chunk in contacts.Chunk(Parallelism))
            {
                await Task.WhenAll(chunk.Select(c => GrainFactory.GetKeyedGrain<IContactProjectionGrain>(GrainKeys.Contact(appId, c)).ReevaluateAsync(false)));
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Re-evaluating the contacts of product {Product} after a change failed", productId);
        }
    }
}
