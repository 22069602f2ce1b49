using System.Net;

namespace ProductEvents.SystemTests.Cluster;

/// <summary>Several durable silo processes on one PostgreSQL, forming one Orleans cluster; any of them takes HTTP traffic.</summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly string _connectionString;

    private SiloCluster(string connectionString, int silos)
    {
        _connectionString = connectionString;
        Silos = Enumerable.Range(0, silos).Select(_ => SiloProcess.Create(connectionString)).ToArray();
    }

    public SiloProcess[] Silos { get; }

    public static async Task<SiloCluster> StartAsync(string connectionString, int silos)
    {
        var cluster = new SiloCluster(connectionString, silos);
        foreach (var silo in cluster.Silos)
        {
            await silo.StartAsync();
        }

        return cluster;
    }

    /// <summary>A client that sends each request to the next silo in turn (as a load balancer would), the dead ones included.</summary>
    public HttpClient CreateRoundRobinClient(int start = 0) =>
        RoundRobinHandler.CreateClient([.. Silos.Select(s => s.BaseAddress)], SiloProcess.SecretKey, start);

    /// <summary>The silo whose process writes the log now.</summary>
    public async Task<SiloProcess> WriterAsync()
    {
        var holder = await LogWriterHolder.ReadAsync(_connectionString);
        return Silos.Single(s => LogWriterHolder.Is(holder, IPAddress.Loopback, s.SiloPort));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }
}
