using System.Globalization;
using Npgsql;

namespace ProductEvents.SystemTests;

/// <summary>
/// The silo as a separate operating-system process, in durable mode (or the embedded default without a connection
/// string), so a test can kill it with SIGKILL (kill -9) mid-stream, or stop it with SIGTERM, and start it again on
/// the same ports.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string AppId = "sys";
    public const string SecretKey = "sys-secret-key";

    private readonly HostProcess _host = new("The silo");
    private readonly string? _connectionString;

    private SiloProcess(string? connectionString)
    {
        _connectionString = connectionString;
        HttpPort = FreePorts.Next();
        SiloPort = FreePorts.Next();
        GatewayPort = FreePorts.Next();
    }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>
    /// False: the silo serves no HTTP (<c>ProductEvents:Http:Enabled</c>), and start-up waits for it to be active in the
    /// cluster's membership table instead of for <c>/health/ready</c> (durable mode only).
    /// </summary>
    public bool HttpEnabled { get; set; } = true;

    /// <summary>Extra configuration for the process, as environment variables (<c>Section__Key</c>).</summary>
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["ProductEvents__Projections__SnapshotInterval"] = "00:00:01",
        ["ProductEvents__Webhooks__AllowLoopback"] = "true",
    };

    /// <inheritdoc cref="HostProcess.OutputLines"/>
    public int OutputLines => _host.OutputLines;

    public static SiloProcess Create(string connectionString) => new(connectionString);

    /// <summary>The embedded default: everything in memory, nothing to set up.</summary>
    public static SiloProcess Embedded() => new(null);

    public HttpClient CreateClient() => ApiClients.Create(BaseAddress, SecretKey);

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync()
    {
        // The test project references the silo, so it is built; run it from its own output folder with its own config.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [HostProcess.BuiltAssembly(Path.Combine("src", "Silo"), "ProductEvents.Silo.dll")]);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        if (_connectionString is not null)
        {
            start.Environment["ConnectionStrings__Postgres"] = _connectionString;
        }

        start.Environment[$"ProductEvents__Apps__{AppId}__SecretKey"] = SecretKey;
        start.Environment["Orleans__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (!HttpEnabled)
        {
            start.Environment["ProductEvents__Http__Enabled"] = "false";
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        _host.Start(start);
        if (!HttpEnabled)
        {
            await WaitUntilActiveAsync();
            return;
        }

        await _host.WaitUntilReadyAsync(new Uri(BaseAddress, "health/ready"), TimeSpan.FromSeconds(90));
    }

    private async Task WaitUntilActiveAsync()
    {
        const int Active = 3;
        await using var connection = new NpgsqlConnection(_connectionString ?? throw new InvalidOperationException("A silo without HTTP runs in durable mode."));
        await connection.OpenAsync();
        await _host.WaitUntilAsync(async () =>
        {
            // The schema is the silo's to apply: until it has, there is no membership table to ask.
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM orleans_membership WHERE port = $1 AND status = $2", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = SiloPort });
            command.Parameters.Add(new NpgsqlParameter { Value = Active });
            try
            {
                return (long)(await command.ExecuteScalarAsync())! > 0;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return false;
            }
        }, "active in the membership table", TimeSpan.FromSeconds(90));
    }

    /// <inheritdoc cref="HostProcess.KillAsync"/>
    public Task KillAsync() => _host.KillAsync();

    /// <inheritdoc cref="HostProcess.StopAsync"/>
    public Task<int> StopAsync() => _host.StopAsync();

    public string Output() => _host.Output();

    /// <inheritdoc cref="HostProcess.OutputSince"/>
    public IReadOnlyList<string> OutputSince(int mark) => _host.OutputSince(mark);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
