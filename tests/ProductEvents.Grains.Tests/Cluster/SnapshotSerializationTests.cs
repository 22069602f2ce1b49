using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.Cluster;

/// <summary>Grain snapshots go through the silo's grain storage serializer; a state it cannot read back fails activation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SnapshotSerializationTests(ClusterFixture cluster)
{
    [Fact]
    public void ProductStateSurvivesTheGrainStorageSerializer()
    {
        var state = new ProductState();
        ProductProjection.Apply(state, Events.Record(seq: 7, type: ProductEventType.Purchase, name: "Lamp",
            attributes: new Dictionary<string, AttributeValue>
            {
                ["color"] = AttributeValue.FromString("white"),
                ["price"] = AttributeValue.FromNumberText("19.90"),
                ["in_stock"] = AttributeValue.True,
                ["discount"] = AttributeValue.Null,
            }));

        var copy = RoundTrip(state);

        Assert.Equal(ProductProjection.ToSnapshot("p", state)!.Attributes, ProductProjection.ToSnapshot("p", copy)!.Attributes);
        Assert.Equal("Lamp", copy.Name?.Value.Text);
        Assert.Equal(1, copy.EventCounts[ProductEventType.Purchase]);
        Assert.Equal(7, copy.AppliedSeq);
    }

    [Fact]
    public void ContactStateSurvivesTheGrainStorageSerializer()
    {
        var state = new ContactState();
        ContactProjection.Apply(state, Events.Record(seq: 3, productId: "a", type: ProductEventType.View), 10);
        ContactProjection.Apply(state, Events.Record(seq: 4, productId: "b", type: ProductEventType.AddToCart), 10);

        var copy = RoundTrip(state);

        var original = ContactProjection.ToSnapshot(ContactRef.User("u"), state)!;
        var restored = ContactProjection.ToSnapshot(ContactRef.User("u"), copy)!;
        Assert.Equal(original.Interactions, restored.Interactions);
        Assert.Equal(original.EventCount, restored.EventCount);
        Assert.Equal(original.AppliedSeq, restored.AppliedSeq);
    }

    [Fact]
    public void ABinarySnapshotWrittenWithAWindowReminderReadsWithNoWindowCheckWritten()
    {
        var serializer = cluster.SiloServices.GetRequiredService<Serializer>();
        var old = new ContactStateWithReminder { AppliedSeq = 9, ReminderAt = DateTimeOffset.UnixEpoch, MergedKeys = ["k1"] };
        old.Segments["s1"] = DateTimeOffset.UnixEpoch;

        var state = serializer.Deserialize<ContactState>(serializer.SerializeToArray(old))!;

        Assert.Equal(9, state.AppliedSeq);
        Assert.Equal(["s1"], state.Segments.Keys);
        Assert.Equal(["k1"], state.MergedKeys);
        Assert.Null(state.WindowCheckAt);
    }

    [Fact]
    public void ContactSnapshotsOfTheEarlierInteractionShapeReadWithTheirInteractions()
    {
        var binary = cluster.SiloServices.GetRequiredService<Serializer>().Deserialize<ContactState>(Convert.FromBase64String(EarlierContactSnapshots.Binary))!;
        var json = cluster.SiloServices.GetRequiredService<IGrainStorageSerializer>().Deserialize<ContactState>(BinaryData.FromString(EarlierContactSnapshots.Json))!;
        var t0 = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

        foreach (var state in new[] { binary, json })
        {
            state.AfterRead();

            Assert.Null(state.EarlierInteractions);
            Assert.Equal(
                new ContactInteraction[]
                {
                    new("a", ProductEventType.AddToCart, 1, t0.AddMinutes(2), t0.AddMinutes(2)),
                    new("a", ProductEventType.View, 2, t0, t0.AddMinutes(1)),
                    new("b", ProductEventType.Purchase, 1, t0.AddMinutes(3), t0.AddMinutes(3)),
                },
                ContactProjection.ToSnapshot(ContactRef.User("u"), state)!.Interactions);
            Assert.True(state.Interactions["a"].TryGetValue(ProductEventType.View, out var views));
            Assert.Equal([t0, t0.AddMinutes(1)], views.Recent);
            Assert.Equal(4, views.LastSeq);
            Assert.Equal((6, 4, 3), (state.AppliedSeq, state.EventCount, state.InteractionCount));
            Assert.Equal(["s1"], state.Segments.Keys);
            Assert.Equal(["k1"], state.MergedKeys);

            // Read in the new shape, the contact goes on counting where the snapshot left off.
            ContactProjection.Apply(state, Events.Record(seq: 7, productId: "a", type: ProductEventType.View, timestamp: t0.AddMinutes(4)), 10);
            Assert.Equal(3, ContactProjection.ToSnapshot(ContactRef.User("u"), state)!.Interactions[1].Count);
            Assert.Equal(3, RoundTrip(state).Interactions["a"].Items.Single(i => i.Type == ProductEventType.View).Count);
        }
    }

    private T RoundTrip<T>(T state)
    {
        var serializer = cluster.SiloServices.GetRequiredService<IGrainStorageSerializer>();
        return serializer.Deserialize<T>(serializer.Serialize(state))!;
    }
}
