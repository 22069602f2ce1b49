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
    ProductSnapshotCache snapshots,
    IOptions<ProjectionOptions> options,
    ILogger<ProductGrain> logger)
    : ProjectionGrain<ProductState>("product", options, logger), IProductGrain
{
    private static readonly TimeSpan FanoutDelay = TimeSpan.FromMilliseconds(200);

    private readonly HashSet<string> _changedFields = new(StringComparer.Ordinal);
    private IGrainTimer? _fanout;

    /// <summary>The entries being applied are the product's first: no contact had interacted with it before them.</summary>
    private bool _new;

    private (string AppId, string ProductId) Key => GrainKeys.ParseProduct(this.GetPrimaryKeyString());

    public async Task<ProductSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        return ProductProjection.ToSnapshot(Key.ProductId, State);
    }

    protected override IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        log.ReadProductAsync(Key.AppId, Key.ProductId, afterSeq, cancellationToken);

    protected override void Apply(ProductEventRecord entry) => ProductProjection.Apply(State, entry, _changedFields);

    protected override Task BeforeApplyAsync(ProductEventRecord[] events)
    {
        _new = State.AppliedSeq == 0;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        snapshots.Remove(this.GetPrimaryKeyString());
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    protected override async Task OnAppliedAsync()
    {
        var app = await segments.GetAsync(Key.AppId);
        if (app.ProductFields.Count > 0)
        {
            // Only apps whose segments filter on products read it; products are applied before contacts, so a
            // contact sees the values its own events just wrote.
            snapshots.Set(this.GetPrimaryKeyString(), ProductProjection.ToSnapshot(Key.ProductId, State));
        }

        // A new product's fields change only for the contacts of these very entries, and those evaluate right after the
        // products of their commit: there is no one else to re-evaluate.
        if (_changedFields.Count == 0 || _fanout is not null || _new)
        {
            _changedFields.Clear();
            return;
        }

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
