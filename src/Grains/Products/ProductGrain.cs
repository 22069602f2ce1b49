using ProductEvents.Grains.Projections;
using ProductEvents.Storage.EventLog;

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
    : ProjectionGrain<ProductState>("product", options, logger), IProductGrain, IProductProjectionGrain, IProductRetention
{
    private static readonly TimeSpan FanoutDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Fields changed since the last <see cref="OnAppliedAsync"/>; allocated per apply, not kept by every product.</summary>
    private HashSet<string>? _changedFields;
    private IGrainTimer? _fanout;

    /// <summary>The entries being applied are the product's first: no contact had interacted with it before them.</summary>
    private bool _new;

    private (string AppId, string ProductId) Key => GrainKeys.ParseProduct(this.GetPrimaryKeyString());

    public async Task<ProductSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        return ProductProjection.ToSnapshot(Key.ProductId, State);
    }

    public Task SealAsync() => SaveSnapshotAsync();

    protected override IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        log.ReadProductAsync(Key.AppId, Key.ProductId, afterSeq, cancellationToken);

    protected override void Apply(ProductEventRecord entry) => ProductProjection.Apply(State, entry, _changedFields ??= new(StringComparer.Ordinal));

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
        var changed = _changedFields;
        _changedFields = null;
        if (changed is null || _fanout is not null || _new)
        {
            return;
        }

        if (changed.Overlaps(app.ProductFields))
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
