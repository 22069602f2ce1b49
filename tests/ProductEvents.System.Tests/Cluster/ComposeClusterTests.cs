namespace ProductEvents.SystemTests.Cluster;

/// <summary>
/// The processes deploy/compose.yaml describes (three silos and a front door on one PostgreSQL), run with the
/// environment compose gives them (<see cref="ComposeCluster"/>), do what users must be able to do with a cluster:
/// writes sent to any of them are in the log once and every product and contact equals what the log implies; the log's
/// writer killed (kill -9) under load loses nothing and leaves no grain with a gap.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class ComposeClusterTests
{
    [Fact]
    public async Task WritesSentToTheFrontDoorAndEverySiloAreInTheLogOnceAndEveryGrainEqualsIt()
    {
        await using var cluster = await ComposeCluster.StartAsync();
        AssertStartedInTheOrderComposeImplies(cluster);

        // Every silo is a member at the address and port compose gives it: three on the same ports, each listening on its own address.
        Assert.Equal(
            cluster.Processes.Where(p => p.SiloPort is not null).Select(p => $"{p.Address}:{p.SiloPort}").Order(StringComparer.Ordinal),
            await cluster.ActiveSilosAsync());

        var load = Load(cluster, seed: 28);
        await load.RunAroundAsync(3_000, () => Task.CompletedTask, more: 0);

        Assert.True(load.Resent > 0, "No event was sent again.");
        await StateVerification.AssertLoadLandedAsync(cluster.ConnectionString, load, [.. cluster.Processes.Select(p => p.BaseAddress)], cluster.App.Id, cluster.App.SecretKey);
    }

    [Fact]
    public async Task KillingTheLogWritersSiloUnderLoadLosesNothingAndLeavesNoGrainWithAGap()
    {
        await using var cluster = await ComposeCluster.StartAsync();
        var load = Load(cluster, seed: 29);
        ComposeProcess? writer = null;
        await load.RunAroundAsync(1_500, async () =>
        {
            writer = await cluster.WriterAsync();
            await writer.KillAsync();
        }, more: 1_500);

        Assert.NotSame(writer, await cluster.WriterAsync());
        var survivors = cluster.Processes.Where(p => p != writer).Select(p => p.BaseAddress).ToList();
        await StateVerification.WaitUntilReadyAsync(survivors);
        await StateVerification.AssertLoadLandedAsync(cluster.ConnectionString, load, survivors, cluster.App.Id, cluster.App.SecretKey);
    }

    /// <summary>Round robin over every process, 50 products and 200 contacts, one event in ten sent again.</summary>
    private static EventLoad Load(ComposeCluster cluster, int seed)
    {
        var start = 0;
        return new EventLoad(() => cluster.CreateRoundRobinClient(Interlocked.Increment(ref start)), clients: 9, products: 50, users: 200, seed, resendEvery: 10);
    }

    /// <summary>A process that depends on another being healthy started after that one answered its health check.</summary>
    private static void AssertStartedInTheOrderComposeImplies(ComposeCluster cluster)
    {
        var order = cluster.StartOrder.ToList();
        var waits = cluster.Processes
            .SelectMany(p => p.Service.DependsOn.Where(d => d.Condition == "service_healthy" && cluster.Processes.Any(o => o.Name == d.Service))
                .Select(d => (Dependent: p.Name, Dependency: d.Service)))
            .ToList();

        Assert.NotEmpty(waits);
        Assert.All(waits, w => Assert.True(
            order.IndexOf($"{w.Dependency} healthy") is >= 0 and var healthy && healthy < order.IndexOf($"{w.Dependent} started"),
            $"{w.Dependent} started before {w.Dependency} was healthy: {string.Join(", ", order)}"));
    }
}
