using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

[Collection(PostgresFixture.Collection)]
public sealed class SiloCrashTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(150)]
    [InlineData(1_200)]
    [InlineData(3_000)]
    public async Task KilledSiloLosesNoAcknowledgedEventAndRebuildsStateFromTheLog(int killAfterAcknowledged)
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("crash");
        await using var silo = SiloProcess.Create(connectionString);
        await silo.StartAsync();
        var load = new EventLoad(silo.CreateClient, clients: 8, products: 60, users: 250, seed: killAfterAcknowledged);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        Assert.True(await load.WaitForAcknowledgedAsync(killAfterAcknowledged, TimeSpan.FromSeconds(120)), "The load did not reach the kill point.");
        await silo.KillAsync();
        var acknowledgedAtKill = load.AcknowledgedCount;
        await silo.StartAsync();
        Assert.True(await load.WaitForAcknowledgedAsync(acknowledgedAtKill + 1_000, TimeSpan.FromSeconds(120)), "Ingest did not resume after the restart.");
        await stop.CancelAsync();
        await running;

        Assert.True(load.ConnectionFailures > 0, "The kill should have cut requests in flight; the test did not exercise a crash.");
        Assert.DoesNotContain(500, load.Statuses.Keys);
        await using var oracle = new LogOracle(connectionString);
        await StateVerification.AssertLogHoldsEachAcknowledgedEventOnceAsync(oracle, load);
        using var api = silo.CreateClient();
        await StateVerification.AssertApiStateEqualsLogAsync(api, oracle, load.ProductIds, load.UserIds);
    }
}
