using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>
/// A front door (src/FrontDoor) as a process of its own: the HTTP API joined to the silos' cluster as an Orleans
/// client, on the cluster's PostgreSQL, with the app of <see cref="SiloProcess"/>.
/// </summary>
public sealed class FrontDoorProcess(string connectionString) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int HttpPort { get; } = FreePorts.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>Extra configuration for the process, as environment variables (<c>Section__Key</c>).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", SiloProcess.SecretKey);
        return client;
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200 (it has joined the cluster by then).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Assembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment[$"ProductEvents__Apps__{SiloProcess.AppId}__SecretKey"] = SiloProcess.SecretKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The front door exited with {_process.ExitCode} while starting:\n{Output()}");
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

        throw new TimeoutException($"The front door did not become ready within 90 s:\n{Output()}");
    }

    /// <summary>SIGTERM: the host stops gracefully.</summary>
    /// <returns>The process's exit code.</returns>
    public async Task<int> StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return _process?.ExitCode ?? 0;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public string Output() => string.Join('\n', _output.TakeLast(200));

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2_000 && _output.TryDequeue(out _))
        {
        }
    }

    private static string Assembly()
    {
        // The test project builds the front door (a project reference); run it from its own output folder.
        var testOutput = AppContext.BaseDirectory;
        var configuration = testOutput.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(testOutput);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ProductEvents.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("ProductEvents.sln not found above " + testOutput),
            "src", "FrontDoor", "bin", configuration, "net10.0", "ProductEvents.FrontDoor.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the front door first.", path);
    }
}
