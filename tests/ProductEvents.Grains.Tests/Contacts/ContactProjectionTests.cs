using ProductEvents.Abstractions;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.Contacts;

public sealed class ContactProjectionTests
{
    private const int NoCap = 5_000;
    private static readonly DateTimeOffset T0 = Events.T0;
    private static readonly ContactRef Contact = ContactRef.User("u-1");

    [Fact]
    public void ContactWithoutEventsHasNoSnapshot()
    {
        Assert.Null(ContactProjection.ToSnapshot(Contact, new ContactState()));
    }

    [Fact]
    public void InteractionsAreCountedPerProductAndType()
    {
        var state = new ContactState();

        ContactProjection.Apply(state, Events.Record(seq: 1, productId: "a", type: ProductEventType.View, timestamp: T0), NoCap);
        ContactProjection.Apply(state, Events.Record(seq: 2, productId: "a", type: ProductEventType.View, timestamp: T0.AddMinutes(1)), NoCap);
        ContactProjection.Apply(state, Events.Record(seq: 3, productId: "a", type: ProductEventType.AddToCart, timestamp: T0.AddMinutes(2)), NoCap);
        ContactProjection.Apply(state, Events.Record(seq: 4, productId: "b", type: ProductEventType.View, timestamp: T0.AddMinutes(3)), NoCap);

        var snapshot = ContactProjection.ToSnapshot(Contact, state)!;
        Assert.Equal(Contact, snapshot.Contact);
        Assert.Equal(4, snapshot.EventCount);
        Assert.Equal(4, snapshot.AppliedSeq);
        Assert.Collection(
            snapshot.Interactions,
            i => Assert.Equal(("a", ProductEventType.AddToCart, 1L), (i.ProductId, i.EventType, i.Count)),
            i => Assert.Equal(("a", ProductEventType.View, 2L), (i.ProductId, i.EventType, i.Count)),
            i => Assert.Equal(("b", ProductEventType.View, 1L), (i.ProductId, i.EventType, i.Count)));
    }

    [Fact]
    public void FirstAndLastAreByEventTimeNotArrival()
    {
        var state = new ContactState();

        ContactProjection.Apply(state, Events.Record(seq: 1, timestamp: T0), NoCap);
        ContactProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddHours(-2)), NoCap);
        ContactProjection.Apply(state, Events.Record(seq: 3, timestamp: T0.AddHours(3)), NoCap);
        ContactProjection.Apply(state, Events.Record(seq: 4, timestamp: T0.AddHours(1)), NoCap);

        var snapshot = ContactProjection.ToSnapshot(Contact, state)!;
        var interaction = Assert.Single(snapshot.Interactions);
        Assert.Equal(4, interaction.Count);
        Assert.Equal(T0.AddHours(-2), interaction.FirstAt);
        Assert.Equal(T0.AddHours(3), interaction.LastAt);
        Assert.Equal(T0.AddHours(-2), snapshot.FirstSeenAt);
        Assert.Equal(T0.AddHours(3), snapshot.LastSeenAt);
    }

    [Fact]
    public void FirstSeenIsTheFirstEventEvenWhenItIsTheOnlyOne()
    {
        var state = new ContactState();

        ContactProjection.Apply(state, Events.Record(seq: 1, timestamp: T0), NoCap);

        var snapshot = ContactProjection.ToSnapshot(Contact, state)!;
        Assert.Equal(T0, snapshot.FirstSeenAt);
        Assert.Equal(T0, snapshot.LastSeenAt);
    }

    [Fact]
    public void InteractionCapDropsTheLeastRecentlyActiveEntry()
    {
        var state = new ContactState();

        ContactProjection.Apply(state, Events.Record(seq: 1, productId: "a", timestamp: T0), 2);
        ContactProjection.Apply(state, Events.Record(seq: 2, productId: "b", timestamp: T0), 2);
        ContactProjection.Apply(state, Events.Record(seq: 3, productId: "a", timestamp: T0), 2);
        ContactProjection.Apply(state, Events.Record(seq: 4, productId: "c", timestamp: T0), 2);

        var snapshot = ContactProjection.ToSnapshot(Contact, state)!;
        Assert.Equal(new[] { "a", "c" }, snapshot.Interactions.Select(i => i.ProductId));
        Assert.Equal(2, snapshot.Interactions[0].Count);
        Assert.Equal(4, snapshot.EventCount);
    }

    [Fact]
    public void InteractionsNeverExceedTheCap()
    {
        var state = new ContactState();

        for (var i = 1; i <= 50; i++)
        {
            ContactProjection.Apply(state, Events.Record(seq: i, productId: $"p-{i}", timestamp: T0.AddSeconds(i)), 10);
        }

        var snapshot = ContactProjection.ToSnapshot(Contact, state)!;
        Assert.Equal(10, snapshot.Interactions.Count);
        Assert.Equal(Enumerable.Range(41, 10).Select(i => $"p-{i}").Order(StringComparer.Ordinal), snapshot.Interactions.Select(i => i.ProductId));
        Assert.Equal(50, snapshot.EventCount);
    }
}
