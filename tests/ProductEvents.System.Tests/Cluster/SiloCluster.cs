using System.Net.Http.Headers;
using Npgsql;

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
    public HttpClient CreateRoundRobinClient(int start = 0)
    {
        var client = new HttpClient(new RoundRobin(Silos, start)) { BaseAddress = Silos[0].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", SiloProcess.SecretKey);
        return client;
    }

    /// <summary>The silo whose process writes the log now (its Orleans silo port is in log_writer.holder).</summary>
    public async Task<SiloProcess> WriterAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand("SELECT holder FROM log_writer WHERE id = 1");
        var holder = (string?)await command.ExecuteScalarAsync() ?? "";
        return Silos.Single(s => holder.Contains($":{s.SiloPort}@", StringComparison.Ordinal) || holder.Contains($":{s.SiloPort}:", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }

    private sealed class RoundRobin(SiloProcess[] silos, int start) : DelegatingHandler(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        private int _next = start;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var silo = silos[(int)((uint)Interlocked.Increment(ref _next) % silos.Length)];
            request.RequestUri = new UriBuilder(request.RequestUri!) { Port = silo.HttpPort }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
