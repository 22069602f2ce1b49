using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Products;

public sealed class ProductGrain(
    [PersistentState("product", StorageNames.Snapshots)] IPersistentState<ProductState> state,
    IEventLogReader log,
    IOptions<ProjectionOptions> options,
    ILogger<ProductGrain> logger)
    : ProjectionGrain<ProductState>(state, options, logger), IProductGrain
{
    private (string AppId, string ProductId) Key => GrainKeys.ParseProduct(this.GetPrimaryKeyString());

    public Task<ProductSnapshot?> GetAsync() => Task.FromResult(ProductProjection.ToSnapshot(Key.ProductId, State));

    protected override IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        log.ReadProductAsync(Key.AppId, Key.ProductId, afterSeq, cancellationToken);

    protected override void Apply(ProductEventRecord entry) => ProductProjection.Apply(State, entry);
}
