using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using ProductEvents.Fuzz.Tests.Generators;
using ProductEvents.Testing;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>
/// The real single-process host in durable mode on a throwaway PostgreSQL (fails when PostgreSQL is not installed),
/// over HTTP on 127.0.0.1. App <see cref="Alpha"/> takes the fuzz input, <see cref="Beta"/> the valid events sent at the
/// same moment, <see cref="Definitions"/> the segment and automation definitions, and the <c>camp*</c> apps the
/// campaigns (an app keeps at most 1,000 campaigns, so a long run moves to the next app). With more than one lane
/// (<c>FUZZ_LANES</c>) each lane has apps of its own (<see cref="FuzzLane"/>) and takes campaign apps no other lane uses.
/// </summary>
public sealed class FuzzHostFixture : IAsyncLifetime
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";
    public const string Definitions = "defs";
    public const int CampaignApps = 150;
    public const int CampaignsPerApp = 900;

    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> campaignSegments = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string Segment, string Automation)> baseDefinitions = [];
    private FuzzCaseRunner[] runners = [];
    private int campaignAppsTaken;
    private PostgresServer? postgres;
    private TestHost? app;

    public NpgsqlDataSource Database { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    /// <summary>The lanes the apps are configured for (<c>FUZZ_LANES</c> when the host started).</summary>
    public int Lanes { get; private set; } = 1;

    /// <summary>Campaign apps configured: enough for <see cref="CampaignApps"/> full ones plus one partly filled per lane.</summary>
    public int CampaignAppCount => CampaignApps + Lanes;

    public async Task InitializeAsync()
    {
        Lanes = FuzzSettings.FromEnvironment().Lanes;
        postgres = await PostgresServer.StartNewAsync();
        var connectionString = await postgres.CreateDatabaseAsync("fuzz");
        Database = NpgsqlDataSource.Create(connectionString);
        var host = new TestHostBuilder()
            .WithPostgres(connectionString)
            .WithSetting("Orleans:ServiceId", "fuzz-tests")
            .WithSetting("Logging:LogLevel:Default", "Critical")
            .WithSetting("Logging:LogLevel:ProductEvents", "Critical")
            .WithSetting("Logging:LogLevel:Orleans", "Critical");
        var lanes = Enumerable.Range(0, Lanes).Select(FuzzLane.For).ToArray();
        foreach (var appId in lanes.SelectMany(l => new[] { l.Alpha, l.Beta, l.Definitions }).Concat(Enumerable.Range(0, CampaignAppCount).Select(CampaignApp)))
        {
            host.WithApp(appId, SecretKey(appId), $"{appId}-public-fz");
        }

        app = await host.StartAsync();
        Address = app.Address;

        foreach (var lane in lanes)
        {
            baseDefinitions[lane.Index] = (await CreateAsync(lane.Definitions, "/api/v1/segments", ValidBodies.Segment("base")),
                await CreateAsync(lane.Definitions, "/api/v1/automations", ValidBodies.Automation("base")));
        }

        runners = lanes.Select(lane => new FuzzCaseRunner(this, lane)).ToArray();
    }

    /// <summary>One runner per lane for the collection: it keeps count of the campaigns its lane created so far.</summary>
    public FuzzCaseRunner Runner(int lane) => runners[lane];

    /// <summary>The segment of the lane's definitions app that the segment update endpoint is fuzzed on.</summary>
    public string BaseSegmentId(FuzzLane lane) => baseDefinitions[lane.Index].Segment;

    /// <summary>The automation of the lane's definitions app that the automation update endpoint is fuzzed on.</summary>
    public string BaseAutomationId(FuzzLane lane) => baseDefinitions[lane.Index].Automation;

    /// <summary>The next campaign app no lane has used yet (camp0, camp1, ... in the order lanes ask).</summary>
    public string TakeCampaignApp()
    {
        var n = Interlocked.Increment(ref campaignAppsTaken) - 1;
        return n < CampaignAppCount
            ? CampaignApp(n)
            : throw new InvalidOperationException($"All {CampaignAppCount} campaign apps are full: raise FuzzHostFixture.CampaignApps for a run this long.");
    }

    public static string CampaignApp(int n) => $"camp{n}";

    public static string SecretKey(string appId) => $"{appId}-secret-fz";

    /// <summary>A client with the app's secret key; no retries, a generous timeout (two busy cores).</summary>
    public HttpClient Client(string appId) => clients.GetOrAdd(appId, id =>
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", SecretKey(id));
        return http;
    });

    /// <summary>The segment a campaign of <paramref name="appId"/> is sent to (created on first use; nobody is in it).</summary>
    public async Task<string> CampaignSegmentAsync(string appId)
    {
        // A campaign app belongs to one lane, so no two cases ask for its segment at the same time.
        if (!campaignSegments.TryGetValue(appId, out var id))
        {
            id = await CreateAsync(appId, "/api/v1/segments", ValidBodies.Segment("campaign"));
            campaignSegments[appId] = id;
        }

        return id;
    }

    public async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public string PostgresLogTail() => postgres?.ReadLogTail(20) ?? "";

    public async Task DisposeAsync()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    private async Task<string> CreateAsync(string appId, string path, JsonObject body)
    {
        using var response = await Client(appId).PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} for {appId} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }
}
