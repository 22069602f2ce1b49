using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Products;

/// <summary>
/// A product: the newest value of each attribute. When a change touches a field that a segment filters on, the
/// contacts who interacted with the product are re-evaluated (at most once per <see cref="FanoutDelay"/>).
/// </summary>
public sealed class ProductGrain(
    IEventLogReader log,
    SegmentDefinitionCache segments,
    IOptions<ProjectionOptions> options,
    ILogger<ProductGrain> logger)
    : ProjectionGrain<ProductState>("product", options, logger), IProductGrain
{
    private static readonly TimeSpan FanoutDelay = TimeSpan.FromMilliseconds(200);

    private readonly HashSet<string> _changedFields = new(StringComparer.Ordinal);
    private IGrainTimer? _fanout;

    private (string AppId, string ProductId) Key => GrainKeys.ParseProduct(this.GetPrimaryKeyString());

    public async Task<ProductSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        return ProductProjection.ToSnapshot(Key.ProductId, State);
    }

    protected override IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        log.ReadProductAsync(Key.AppId, Key.ProductId, afterSeq, cancellationToken);

    protected override void Apply(ProductEventRecord entry) => ProductProjection.Apply(State, entry, _changedFields);

    protected override async Task OnAppliedAsync()
    {
        if (_changedFields.Count == 0 || _fanout is not null)
        {
            _changedFields.Clear();
            return;
        }

        var app = await segments.GetAsync(Key.AppId);
        var relevant = _changedFields.Overlaps(app.ProductFields);
        _changedFields.Clear();
        if (relevant)
        {
            _fanout = this.RegisterGrainTimer(FanoutAsync, new GrainTimerCreationOptions(FanoutDelay, Timeout.InfiniteTimeSpan));
        }
    }

    private async Task FanoutAsync(CancellationToken cancellationToken)
    {
        _fanout?.Dispose();
        _fanout = null;
        var (appId, productId) = Key;
        await GrainFactory.GetGrain<IProductFanoutGrain>(0).ReevaluateContactsOfAsync(appId, productId);
    }
}
