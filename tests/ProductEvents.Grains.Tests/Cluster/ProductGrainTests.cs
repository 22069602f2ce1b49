using ProductEvents.Grains.Projections;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ProductGrainTests(ClusterFixture cluster)
{
    private const string App = "grain-tests";
    private static readonly DateTimeOffset T0 = Events.T0;

    [Fact]
    public async Task UnknownProductIsNull()
    {
        var grain = cluster.Grains.GetGrain<IProductGrain>(GrainKeys.Product(App, NewId()));

        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task AppliedEventsShowInTheProduct()
    {
        var productId = NewId();
        var grain = Grain(productId);
        var committed = await cluster.CommitAsync(
            Events.Record(appId: App, productId: productId, type: ProductEventType.AddToCart, name: "Shoe", timestamp: T0,
                attributes: Events.Attributes(("color", "red"), ("size", "42"))),
            Events.Record(appId: App, productId: productId, type: ProductEventType.View, timestamp: T0.AddMinutes(1),
                attributes: Events.Attributes(("color", "blue"))));

        await grain.AsReference<IProductProjectionGrain>().ApplyAsync(committed, firstEntries: false);

        var product = await grain.GetAsync();
        Assert.NotNull(product);
        Assert.Equal(productId, product.ProductId);
        Assert.Equal("Shoe", product.Name);
        Assert.Equal("blue", product.Attributes["color"].Text);
        Assert.Equal("42", product.Attributes["size"].Text);
        Assert.Equal(1, product.EventCounts[ProductEventType.AddToCart]);
        Assert.Equal(1, product.EventCounts[ProductEventType.View]);
        Assert.Equal(committed[^1].Seq, product.AppliedSeq);
    }

    [Fact]
    public async Task ApplySkipsEntriesAlreadyApplied()
    {
        var productId = NewId();
        var grain = Grain(productId);
        var first = Events.Record(seq: 1_000_005, appId: App, productId: productId, timestamp: T0, attributes: Events.Attributes(("color", "red")));
        var older = Events.Record(seq: 1_000_003, appId: App, productId: productId, timestamp: T0.AddHours(1), attributes: Events.Attributes(("color", "green")));
        var next = Events.Record(seq: 1_000_006, appId: App, productId: productId, timestamp: T0, attributes: Events.Attributes(("size", "42")));

        await grain.AsReference<IProductProjectionGrain>().ApplyAsync([first], firstEntries: false);
        await grain.AsReference<IProductProjectionGrain>().ApplyAsync([first, older], firstEntries: false);
        var afterRedelivery = await grain.GetAsync();
        await grain.AsReference<IProductProjectionGrain>().ApplyAsync([first, next], firstEntries: false);
        var afterNext = await grain.GetAsync();

        Assert.Equal(1, afterRedelivery!.EventCounts[ProductEventType.View]);
        Assert.Equal("red", afterRedelivery.Attributes["color"].Text);
        Assert.Equal(1_000_005, afterRedelivery.AppliedSeq);
        Assert.Equal(2, afterNext!.EventCounts[ProductEventType.View]);
        Assert.Equal("42", afterNext.Attributes["size"].Text);
        Assert.Equal(1_000_006, afterNext.AppliedSeq);
    }

    [Fact]
    public async Task EntriesReplayedOnActivationAreNotAppliedAgain()
    {
        var productId = NewId();
        var committed = await cluster.CommitAsync(
            Events.Record(appId: App, productId: productId),
            Events.Record(appId: App, productId: productId));

        // The first call activates the grain, which replays both entries from the log before the call is served.
        await Grain(productId).AsReference<IProductProjectionGrain>().ApplyAsync(committed, firstEntries: false);

        var product = await Grain(productId).GetAsync();
        Assert.Equal(2, product!.EventCounts[ProductEventType.View]);
    }

    [Fact]
    public async Task ActivationRebuildsTheProductFromTheLog()
    {
        var productId = NewId();
        await cluster.CommitAsync(
            Events.Record(appId: App, productId: productId, type: ProductEventType.Purchase, name: "Lamp", attributes: Events.Attributes(("color", "white"))),
            Events.Record(appId: App, productId: "someone-else", type: ProductEventType.Purchase));

        var product = await Grain(productId).GetAsync();

        Assert.NotNull(product);
        Assert.Equal("Lamp", product.Name);
        Assert.Equal("white", product.Attributes["color"].Text);
        Assert.Equal(1, Assert.Single(product.EventCounts).Value);
    }

    [Fact]
    public async Task ActivationReplaysOnlyTheEntriesAfterTheSnapshot()
    {
        var productId = NewId();
        var key = GrainKeys.Product(App, productId);
        var grain = Grain(productId);
        var firstBatch = await cluster.CommitAsync(
            Events.Record(appId: App, productId: productId, timestamp: T0, attributes: Events.Attributes(("color", "red"))),
            Events.Record(appId: App, productId: productId, timestamp: T0.AddMinutes(1)));
        await grain.AsReference<IProductProjectionGrain>().ApplyAsync(firstBatch, firstEntries: false);

        // Committed but never delivered, as after a crash between the log commit and the grain call.
        var missed = await cluster.CommitAsync(
            Events.Record(appId: App, productId: productId, type: ProductEventType.Purchase, timestamp: T0.AddMinutes(2),
                attributes: Events.Attributes(("color", "blue"))));
        await cluster.ReactivateAsync(key, () => grain.GetAsync());

        var product = await grain.GetAsync();
        Assert.Equal(new[] { 0L, firstBatch[^1].Seq }, cluster.Reader.ReadsOf(key));
        Assert.Equal(2, product!.EventCounts[ProductEventType.View]);
        Assert.Equal(1, product.EventCounts[ProductEventType.Purchase]);
        Assert.Equal("blue", product.Attributes["color"].Text);
        Assert.Equal(missed[0].Seq, product.AppliedSeq);
    }

    [Fact]
    public async Task ProductsOfDifferentAppsAreSeparate()
    {
        var productId = NewId();
        await Grain(productId).AsReference<IProductProjectionGrain>().ApplyAsync(await cluster.CommitAsync(Events.Record(appId: App, productId: productId)), firstEntries: false);

        Assert.Null(await cluster.Grains.GetGrain<IProductGrain>(GrainKeys.Product("another-app", productId)).GetAsync());
    }

    private IProductGrain Grain(string productId) => cluster.Grains.GetGrain<IProductGrain>(GrainKeys.Product(App, productId));

    private static string NewId() => $"product-{Guid.NewGuid():N}";
}
