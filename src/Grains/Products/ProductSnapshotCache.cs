using System.Collections.Concurrent;

namespace ProductEvents.Grains.Products;

/// <summary>
/// The current snapshot of every product grain active in this silo, kept by the grains themselves (set after each
/// change, removed at deactivation), so a contact evaluating its segments reads products without a grain call. A
/// product active in another silo is not here, and a contact then asks its grain.
/// </summary>
public sealed class ProductSnapshotCache
{
    private readonly ConcurrentDictionary<string, ProductSnapshot> _products = new(StringComparer.Ordinal);

    public bool TryGet(string productKey, out ProductSnapshot snapshot) => _products.TryGetValue(productKey, out snapshot!);

    public void Set(string productKey, ProductSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            _products.TryRemove(productKey, out _);
        }
        else
        {
            _products[productKey] = snapshot;
        }
    }

    public void Remove(string productKey) => _products.TryRemove(productKey, out _);
}
