using ProductEvents.Grains.Projections;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ContactGrainTests(ClusterFixture cluster)
{
    private const string App = "grain-tests";
    private static readonly DateTimeOffset T0 = Events.T0;

    [Fact]
    public async Task UnknownContactIsNull()
    {
        Assert.Null(await Grain(ContactRef.User(NewId())).GetAsync());
    }

    [Fact]
    public async Task AppliedEventsShowAsInteractionsPerProductAndType()
    {
        var user = ContactRef.User(NewId());
        var committed = await cluster.CommitAsync(
            Events.Record(appId: App, userId: user.Value, productId: "a", type: ProductEventType.View, timestamp: T0.AddMinutes(5)),
            Events.Record(appId: App, userId: user.Value, productId: "a", type: ProductEventType.View, timestamp: T0),
            Events.Record(appId: App, userId: user.Value, productId: "b", type: ProductEventType.Purchase, timestamp: T0.AddMinutes(1)));

        await Grain(user).AsReference<IContactProjectionGrain>().ApplyAsync(committed, firstEntries: false);

        var contact = await Grain(user).GetAsync();
        Assert.NotNull(contact);
        Assert.Equal(user, contact.Contact);
        Assert.Equal(3, contact.EventCount);
        Assert.Equal(T0, contact.FirstSeenAt);
        Assert.Equal(T0.AddMinutes(5), contact.LastSeenAt);
        Assert.Collection(
            contact.Interactions,
            i =>
            {
                Assert.Equal(("a", ProductEventType.View, 2L), (i.ProductId, i.EventType, i.Count));
                Assert.Equal(T0, i.FirstAt);
                Assert.Equal(T0.AddMinutes(5), i.LastAt);
            },
            i => Assert.Equal(("b", ProductEventType.Purchase, 1L), (i.ProductId, i.EventType, i.Count)));
    }

    [Fact]
    public async Task ApplySkipsEntriesAlreadyApplied()
    {
        var user = ContactRef.User(NewId());
        var entry = Events.Record(seq: 2_000_010, appId: App, userId: user.Value);

        await Grain(user).AsReference<IContactProjectionGrain>().ApplyAsync([entry], firstEntries: false);
        await Grain(user).AsReference<IContactProjectionGrain>().ApplyAsync([entry, entry with { Seq = 2_000_001 }], firstEntries: false);

        var contact = await Grain(user).GetAsync();
        Assert.Equal(1, contact!.EventCount);
        Assert.Equal(1, Assert.Single(contact.Interactions).Count);
    }

    [Fact]
    public async Task AnonymousVisitorIsAContactOfItsOwn()
    {
        var key = NewId();
        var committed = await cluster.CommitAsync(Events.Record(appId: App, userId: null, userKey: key));

        await Grain(ContactRef.Visitor(key)).AsReference<IContactProjectionGrain>().ApplyAsync(committed, firstEntries: false);

        Assert.Equal(1, (await Grain(ContactRef.Visitor(key)).GetAsync())!.EventCount);
        Assert.Null(await Grain(ContactRef.User(key)).GetAsync());
    }

    [Fact]
    public async Task ActivationReplaysOnlyTheEntriesAfterTheSnapshot()
    {
        var user = ContactRef.User(NewId());
        var key = GrainKeys.Contact(App, user);
        var grain = Grain(user);
        var first = await cluster.CommitAsync(Events.Record(appId: App, userId: user.Value, productId: "a", timestamp: T0));
        await grain.AsReference<IContactProjectionGrain>().ApplyAsync(first, firstEntries: false);

        await cluster.CommitAsync(Events.Record(appId: App, userId: user.Value, productId: "b", timestamp: T0.AddMinutes(1)));
        await cluster.ReactivateAsync(key, () => grain.GetAsync());

        var contact = await grain.GetAsync();
        Assert.Equal(new[] { 0L, first[0].Seq }, cluster.Reader.ReadsOf(key));
        Assert.Equal(2, contact!.EventCount);
        Assert.Equal(new[] { "a", "b" }, contact.Interactions.Select(i => i.ProductId));
    }

    private IContactGrain Grain(ContactRef contact) => cluster.Grains.GetGrain<IContactGrain>(GrainKeys.Contact(App, contact));

    private static string NewId() => $"contact-{Guid.NewGuid():N}";
}
