using Microsoft.Extensions.DependencyInjection;
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

    private T RoundTrip<T>(T state)
    {
        var serializer = cluster.SiloServices.GetRequiredService<IGrainStorageSerializer>();
        return serializer.Deserialize<T>(serializer.Serialize(state))!;
    }
}
