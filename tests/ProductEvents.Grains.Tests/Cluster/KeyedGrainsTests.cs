using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class KeyedGrainsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AKeyedReferenceIsTheSameGrainAsOrleansOwnAndServesCalls()
    {
        // The first call resolves the grain type; later ones build the reference from it.
        foreach (var key in new[] { GrainKeys.Product("keyed", "p-1"), GrainKeys.Product("keyed", "p-2") })
        {
            var keyed = cluster.Grains.GetKeyedGrain<IProductGrain>(key);
            var own = cluster.Grains.GetGrain<IProductGrain>(key);
            Assert.Equal(own.GetGrainId(), keyed.GetGrainId());
            Assert.Equal(((GrainReference)own).InterfaceType, ((GrainReference)keyed).InterfaceType);
        }

        await cluster.CommitAsync(Support.Events.Record(appId: "keyed", productId: "p-2", name: "Lamp"));
        var snapshot = await cluster.Grains.GetKeyedGrain<IProductGrain>(GrainKeys.Product("keyed", "p-2")).GetAsync();
        Assert.Equal("Lamp", snapshot?.Name);
        Assert.NotEqual(
            cluster.Grains.GetKeyedGrain<IContactGrain>(GrainKeys.Product("keyed", "p-2")).GetGrainId().Type,
            cluster.Grains.GetKeyedGrain<IProductGrain>(GrainKeys.Product("keyed", "p-2")).GetGrainId().Type);
    }
}
