using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ProductEvents.SystemTests;

/// <summary>
/// A host of the build output (the silo, a front door) run as an operating-system process: started, awaited until it
/// is ready, stopped with SIGTERM or killed with SIGKILL (kill -9), and started again. What it prints is kept, across
/// restarts, for failure messages and for tests that read the start-up lines.
/// </summary>
public sealed class HostProcess(string name) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private int _printed;

    public string Name => name;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How many lines the process has printed so far (a mark for <see cref="OutputSince"/>).</summary>
    public int OutputLines => _printed;

    /// <summary>The path of <paramref name="assembly"/> in the build output of the project in <paramref name="projectFolder"/>.</summary>
    /// <remarks>The test project references that project, so it is built, in the test's own configuration.</remarks>
    public static string BuiltAssembly(string projectFolder, string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Repository.Root, projectFolder, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectFolder} first.", path);
    }

    /// <summary>Starts the process <paramref name="start"/> describes, its output read into this one.</summary>
    public void Start(ProcessStartInfo start)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{name} is already running.");
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{name} could not be started.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Probes until <paramref name="ready"/> holds; fails at once when the process exits, and after <paramref name="within"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, string what, TimeSpan within)
    {
        var process = _process ?? throw new InvalidOperationException($"{name} has not been started.");
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} before {what}:\n{Output()}");
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{name}: not {what} within {within.TotalSeconds:0} s:\n{Output()}");
    }

    /// <summary>Waits until a GET of <paramref name="url"/> (its <c>/health/ready</c>) answers 200.</summary>
    public async Task WaitUntilReadyAsync(Uri url, TimeSpan within)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilAsync(() => AnswersOkAsync(probe, url), $"ready ({url})", within);
    }

    /// <summary>Whether a GET of <paramref name="url"/> answers 200 now; a refused connection or a timeout is a no.</summary>
    public static async Task<bool> AnswersOkAsync(HttpClient probe, Uri url)
    {
        try
        {
            using var response = await probe.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
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

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary>The last 200 lines printed.</summary>
    public string Output() => string.Join('\n', _output.TakeLast(200));

    /// <summary>The lines printed after <paramref name="mark"/> (an earlier <see cref="OutputLines"/>).</summary>
    public IReadOnlyList<string> OutputSince(int mark) => _output.TakeLast(Math.Min(_printed - mark, _output.Count)).ToList();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

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
}
