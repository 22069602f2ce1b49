using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class MembershipQueueReadTests(ClusterFixture cluster)
{
    /// <summary>
    /// When a silo stops, the membership streams' pulling agents cancel their token while a queue read may be in flight;
    /// Orleans' memory receiver logged such a cancelled read as an error. A read given a cancelled token ends normally.
    /// </summary>
    [Fact]
    public async Task AMembershipQueueReadEndsNormallyWhenThePullingAgentCancelsIt()
    {
        var factory = cluster.SiloServices.GetRequiredKeyedService<IQueueAdapterFactory>(StreamNames.Provider);
        var adapter = await factory.CreateAdapter(CancellationToken.None);

        // A queue of its own, so the read takes nothing from the queues the silo's agents read.
        var receiver = adapter.CreateReceiver(QueueId.GetQueueId("membership-read-test", 0, 0));
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        var read = await receiver.GetQueueMessagesAsync(10, stopping.Token);

        Assert.Empty(read);
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }
}
