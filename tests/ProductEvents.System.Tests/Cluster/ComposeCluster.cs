using System.Net;
using System.Text.RegularExpressions;
using Npgsql;

namespace ProductEvents.SystemTests.Cluster;

/// <summary>
/// The processes deploy/compose.yaml describes, run on this machine without a container engine. PostgreSQL is a
/// throwaway server set up as the image sets itself up from the service's environment. Every other service runs the
/// host its Dockerfile's ENTRYPOINT names (<see cref="ComposeProcess"/>) with the image's ENV, then exactly the
/// environment compose gives it, its <c>${...}</c> filled from <see cref="Variables"/>. What differs is the network,
/// mapped onto this machine: an address on the compose network becomes one of the loopback (<see cref="LoopbackNetwork"/>),
/// <c>Host=postgres;Port=5432</c> the throwaway server, <c>http://+:port</c> the process's own address and port. Services
/// start in the order their <c>depends_on</c> says; a <c>service_healthy</c> one waits for its image's HEALTHCHECK URL.
/// </summary>
public sealed partial class ComposeCluster : IAsyncDisposable
{
    /// <summary>What a user exports before <c>docker compose up</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["SHOP_SECRET_KEY"] = "compose-shop-secret-key",
        ["OPERATOR_KEY"] = "compose-operator-key-for-tests",
        ["POSTGRES_PASSWORD"] = "compose-postgres-password",
    };

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly List<string> _startOrder = [];
    private PostgresServer? _postgres;

    private ComposeCluster(ComposeFile compose) => Compose = compose;

    public ComposeFile Compose { get; }

    public IReadOnlyList<ComposeProcess> Processes { get; private set; } = [];

    /// <summary>The silos' connection string, as the processes got it: the compose user and database on the throwaway server.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The app the compose file configures (<c>ProductEvents__Apps__{id}__SecretKey</c>) and its key.</summary>
    public (string Id, string SecretKey) App { get; private set; }

    /// <summary>"x started" and "x healthy", in the order they happened.</summary>
    public IReadOnlyList<string> StartOrder
    {
        get
        {
            lock (_startOrder)
            {
                return [.. _startOrder];
            }
        }
    }

    public static async Task<ComposeCluster> StartAsync()
    {
        var cluster = new ComposeCluster(ComposeFile.Load());
        try
        {
            await cluster.StartPostgresAsync();
            cluster.Processes = cluster.Lay();
            await cluster.StartInOrderAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client sending each request to the next process in turn (the front door and every silo), the dead ones included.</summary>
    public HttpClient CreateRoundRobinClient(int start = 0) =>
        RoundRobinHandler.CreateClient([.. Processes.Select(p => p.BaseAddress)], App.SecretKey, start);

    /// <summary>The silo whose process writes the log now.</summary>
    public async Task<ComposeProcess> WriterAsync()
    {
        var holder = await LogWriterHolder.ReadAsync(ConnectionString);
        return Processes.Single(p => p.SiloPort is { } port && LogWriterHolder.Is(holder, p.Address, port));
    }

    /// <summary>The address and silo port of every silo the membership table lists as active.</summary>
    public async Task<IReadOnlyList<string>> ActiveSilosAsync()
    {
        const int Active = 3;
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT address || ':' || port FROM orleans_membership WHERE status = $1 ORDER BY 1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Active });
        var silos = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            silos.Add(reader.GetString(0));
        }

        return silos;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private ComposeService PostgresService => Compose.Services.Single(s => s.Node.Text("image")?.StartsWith("postgres:", StringComparison.Ordinal) == true);

    private async Task StartPostgresAsync()
    {
        var environment = PostgresService.Environment.ToDictionary(e => e.Key, e => ComposeService.Substitute(e.Value, Variables));
        _postgres = await PostgresServer.StartNewAsync();
        await _postgres.CreateOwnerAsync(environment["POSTGRES_USER"], environment["POSTGRES_PASSWORD"], environment["POSTGRES_DB"]);
    }

    /// <summary>Each built service as a process: its image, its loopback address, its environment.</summary>
    private List<ComposeProcess> Lay()
    {
        var (network, subnet) = Compose.Root.Get("networks").Entries().Single();
        var services = Compose.Services.Where(s => s != PostgresService)
            .Select(s => (Service: s, Image: Dockerfile.Read(Path.Combine(Repository.Deploy, s.Node.Text("build", "context")!, s.Dockerfile!))))
            .ToList();
        var loopback = LoopbackNetwork.Choose(
            IPNetwork.Parse(subnet.At("ipam", "config").Items().Single().Text("subnet")!),
            [.. services.Select(s => (IPAddress.Parse(s.Service.Address(network)!), (IReadOnlyCollection<int>)s.Image.Exposed))]);

        var processes = services.Select(s =>
        {
            var address = loopback.Map(IPAddress.Parse(s.Service.Address(network)!));
            var environment = ComposeEnvironment.Of(s.Service, s.Image, Variables, loopback, address, PostgresService.Name, _postgres!.Port);
            return new ComposeProcess(s.Service, s.Image, address, environment);
        }).ToList();

        var first = processes[0].Environment;
        ConnectionString = first["ConnectionStrings__Postgres"];
        var app = first.Keys.Select(k => AppKey().Match(k)).Single(m => m.Success);
        App = (app.Groups["app"].Value, first[app.Value]);
        return processes;
    }

    private async Task StartInOrderAsync()
    {
        var started = new Dictionary<string, Lazy<Task>>(StringComparer.Ordinal);
        var healthy = new Dictionary<string, Lazy<Task>>(StringComparer.Ordinal);
        foreach (var process in Processes)
        {
            started[process.Name] = new(() => StartAfterDependenciesAsync(process));
            healthy[process.Name] = new(async () =>
            {
                await started[process.Name].Value;
                await process.WaitUntilHealthyAsync(StartTimeout);
                Note($"{process.Name} healthy");
            });
        }

        async Task StartAfterDependenciesAsync(ComposeProcess process)
        {
            foreach (var (dependency, condition) in process.Service.DependsOn)
            {
                // PostgreSQL runs and takes its user's password by now: what its healthcheck (pg_isready) waits for.
                if (dependency == PostgresService.Name)
                {
                    continue;
                }

                await (condition switch
                {
                    "service_healthy" => healthy[dependency].Value,
                    "service_started" => started[dependency].Value,
                    _ => throw new NotSupportedException($"{process.Name}: depends_on condition {condition}"),
                });
            }

            Note($"{process.Name} started");
            process.Start();
        }

        await Task.WhenAll(Processes.Select(p => healthy[p.Name].Value));
    }

    private void Note(string step)
    {
        lock (_startOrder)
        {
            _startOrder.Add(step);
        }
    }

    [GeneratedRegex("^ProductEvents__Apps__(?<app>[^_]+)__SecretKey$")]
    private static partial Regex AppKey();
}
