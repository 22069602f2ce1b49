using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using ProductEvents.Testing;

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

    private readonly ConcurrentQueue<string> _output = new();
    private readonly string? _connectionString;
    private Process? _process;
    private int _printed;

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

    public static SiloProcess Create(string connectionString) => new(connectionString);

    /// <summary>The embedded default: everything in memory, nothing to set up.</summary>
    public static SiloProcess Embedded() => new(null);

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", SecretKey);
        return client;
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The silo process is already running.");
        }

        var start = new ProcessStartInfo("dotnet", [SiloAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        if (_connectionString is not null)
        {
            start.Environment["ConnectionStrings__Postgres"] = _connectionString;
        }

        start.Environment[$"ProductEvents__Apps__{AppId}__SecretKey"] = SecretKey;
        start.Environment["Orleans__SiloPort"] = SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (!HttpEnabled)
        {
            start.Environment["ProductEvents__Http__Enabled"] = "false";
        }

        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!HttpEnabled)
        {
            await WaitUntilActiveAsync(_process);
            return;
        }

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode} while starting:\n{Output()}");
            }

            try
            {
                using var response = await probe.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The silo did not become ready within 90 s:\n{Output()}");
    }

    private async Task WaitUntilActiveAsync(Process process)
    {
        const int Active = 3;
        await using var connection = new NpgsqlConnection(_connectionString ?? throw new InvalidOperationException("A silo without HTTP runs in durable mode."));
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {process.ExitCode} while starting:\n{Output()}");
            }

            // The schema is the silo's to apply: until it has, there is no membership table to ask.
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM orleans_membership WHERE port = $1 AND status = $2", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = SiloPort });
            command.Parameters.Add(new NpgsqlParameter { Value = Active });
            try
            {
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                {
                    return;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The silo did not become active within 90 s:\n{Output()}");
    }

    /// <summary>SIGKILL: the process gets no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the host stops gracefully (the ingest queue drains, snapshots are written).</summary>
    /// <returns>The process's exit code.</returns>
    public async Task<int> StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return _process?.ExitCode ?? 0;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public string Output() => string.Join('\n', _output.TakeLast(200));

    /// <summary>How many lines the process has printed so far (a mark for <see cref="OutputSince"/>).</summary>
    public int OutputLines => _printed;

    /// <summary>The lines printed after <paramref name="mark"/> (an earlier <see cref="OutputLines"/>).</summary>
    public IReadOnlyList<string> OutputSince(int mark) => _output.TakeLast(Math.Min(_printed - mark, _output.Count)).ToList();

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        Interlocked.Increment(ref _printed);
        while (_output.Count > 2_000 && _output.TryDequeue(out _))
        {
        }
    }

    private static string SiloAssembly()
    {
        // The test project references the silo, so it is built; run it from its own output folder with its own config.
        var testOutput = AppContext.BaseDirectory;
        var configuration = testOutput.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(testOutput);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProductEvents.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("ProductEvents.sln not found above " + testOutput),
            "src", "Silo", "bin", configuration, "net10.0", "ProductEvents.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the silo first.", path);
    }
}
