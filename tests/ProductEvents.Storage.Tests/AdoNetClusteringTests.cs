using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProductEvents.Storage.Tests.Probes;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

[Collection(OrleansSiloFixture.Collection)]
public sealed class AdoNetClusteringTests(OrleansSiloFixture silo)
{
    private const int ActiveStatus = (int)SiloStatus.Active;

    [Fact]
    public async Task MembershipTableHasTheActiveSilo()
    {
        var rows = await Sql.RowsAsync(
            silo.Postgres.ConnectionString,
            "SELECT address, port, proxy_port, status FROM orleans_membership WHERE deployment_id = @cluster AND port = @port",
            ("cluster", OrleansSiloFixture.ClusterId), ("port", silo.SiloPort));

        Assert.Equal([$"127.0.0.1|{silo.SiloPort}|{silo.GatewayPort}|{ActiveStatus}"], rows);
        Assert.True(await Sql.ScalarAsync<int>(
            silo.Postgres.ConnectionString,
            "SELECT version FROM orleans_membership_version WHERE deployment_id = @cluster",
            ("cluster", OrleansSiloFixture.ClusterId)) >= 1);
    }

    [Fact]
    public async Task SiloKeepsReportingItIsAlive()
    {
        var aliveAt = () => Sql.ScalarAsync<DateTime>(
            silo.Postgres.ConnectionString,
            "SELECT i_am_alive_time FROM orleans_membership WHERE deployment_id = @cluster AND port = @port",
            ("cluster", OrleansSiloFixture.ClusterId), ("port", silo.SiloPort));
        var startTime = await Sql.ScalarAsync<DateTime>(
            silo.Postgres.ConnectionString,
            "SELECT start_time FROM orleans_membership WHERE deployment_id = @cluster AND port = @port",
            ("cluster", OrleansSiloFixture.ClusterId), ("port", silo.SiloPort));

        var alive = await aliveAt();

        Assert.Equal(OrleansSiloFixture.SessionTimeZone, await Sql.ScalarAsync<string>(silo.Postgres.ConnectionString, "SHOW timezone"));

        Assert.Equal(DateTimeKind.Utc, alive.Kind);
        Assert.InRange(alive, startTime, DateTime.UtcNow.AddMinutes(1));
        Assert.InRange(startTime, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task SecondSiloJoinsThenLeavesAsDeadAndIsCleanedUpLater()
    {
        var port = FreePorts.Next();
        using (var second = await silo.StartSiloAsync(port, FreePorts.Next()))
        {
            Assert.Equal(ActiveStatus, await StatusAsync(port));
            await second.StopAsync();
        }

        Assert.Equal((int)SiloStatus.Dead, await StatusAsync(port));
        Assert.Equal(ActiveStatus, await StatusAsync(silo.SiloPort));

        // What the cleanup agent runs for dead silos silent since a given time.
        var cleanup = await Sql.ScalarAsync<string>(silo.Postgres.ConnectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntriesKey'");
        await Sql.ExecuteAsync(silo.Postgres.ConnectionString, cleanup, ("DeploymentId", OrleansSiloFixture.ClusterId), ("IAmAliveTime", DateTime.UtcNow.AddMinutes(1)));

        Assert.Null(await StatusAsync(port));
        Assert.Equal(ActiveStatus, await StatusAsync(silo.SiloPort));
    }

    [Fact]
    public async Task ClientFindsTheSiloThroughTheMembershipTable()
    {
        using var client = await silo.StartClientAsync();
        try
        {
            var grain = client.Services.GetRequiredService<IClusterClient>().GetGrain<IStorageProbeGrain>($"client-{Guid.NewGuid():N}");

            await grain.SetValueAsync(5);

            Assert.Equal(5, await grain.GetValueAsync());
        }
        finally
        {
            await client.StopAsync();
        }
    }

    private async Task<int?> StatusAsync(int port)
    {
        var rows = await Sql.RowsAsync(
            silo.Postgres.ConnectionString,
            "SELECT status FROM orleans_membership WHERE deployment_id = @cluster AND port = @port",
            ("cluster", OrleansSiloFixture.ClusterId), ("port", port));
        return rows.Count == 0 ? null : int.Parse(rows.Single(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
