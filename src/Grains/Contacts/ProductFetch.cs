using ProductEvents.Grains.Products;

namespace ProductEvents.Grains.Contacts;

/// <summary>The product snapshots a contact's evaluation needs.</summary>
internal static class ProductFetch
{
    /// <summary>Products active in this silo publish their snapshot in the cache; only the others cost a grain call.</summary>
    public static async Task<IReadOnlyDictionary<string, ProductSnapshot>> FetchAsync(
        IGrainFactory grains, ProductSnapshotCache cache, string appId, HashSet<string> productIds)
    {
        var products = new Dictionary<string, ProductSnapshot>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var id in productIds)
        {
            if (cache.TryGet(GrainKeys.Product(appId, id), out var cached))
            {
                products[id] = cached;
            }
            else
            {
                (missing ??= []).Add(id);
            }
        }

        if (missing is null)
        {
            return products;
        }

        foreach (var snapshot in await Task.WhenAll(missing.Select(id => grains.GetKeyedGrain<IProductGrain>(GrainKeys.Product(appId, id)).GetAsync())))
        {
            if (snapshot is not null)
            {
                products[snapshot.ProductId] = snapshot;
            }
        }

        return products;
    }
}
