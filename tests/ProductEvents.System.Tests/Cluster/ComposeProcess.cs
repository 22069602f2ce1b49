using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ProductEvents.SystemTests.Cluster;

/// <summary>
/// One service of deploy/compose.yaml run as a process: the host its image's ENTRYPOINT names, from the build output, in
/// that host's output folder (the image's WORKDIR), with the environment its container would get and nothing else, on
/// the loopback address standing for its address on the compose network.
/// </summary>
public sealed class ComposeProcess(ComposeService service, Dockerfile image, IPAddress address, IReadOnlyDictionary<string, string> environment)
    : IAsyncDisposable
{
    private readonly HostProcess _host = new(service.Name);

    public string Name => service.Name;

    public ComposeService Service => service;

    public Dockerfile Image => image;

    /// <summary>The loopback address standing for its address on the compose network.</summary>
    public IPAddress Address => address;

    /// <summary>The environment it runs with: the image's ENV, then the service's, with the network mapped.</summary>
    public IReadOnlyDictionary<string, string> Environment => environment;

    /// <summary>Its Orleans silo port; null for a process that is no silo (a front door).</summary>
    public int? SiloPort => environment.TryGetValue("Orleans__AdvertisedIPAddress", out _) && environment.TryGetValue("Orleans__SiloPort", out var port)
        ? int.Parse(port, CultureInfo.InvariantCulture)
        : null;

    /// <summary>Where its HTTP API is reached: the port compose publishes, else its own port on the compose network.</summary>
    public Uri BaseAddress
    {
        get
        {
            var own = new Uri(environment["ASPNETCORE_URLS"]);
            if (service.Ports is not [var published])
            {
                return service.Ports.Count == 0 ? new Uri(own, "/") : throw new NotSupportedException($"{Name}: more than one published port");
            }

            // host-address:host-port:container-port; on this machine the host port is the process's own port.
            var parts = published.Split(':');
            return parts.Length == 3 && parts[1] == parts[2] && parts[2] == own.Port.ToString(CultureInfo.InvariantCulture)
                ? new Uri(own, "/")
                : throw new NotSupportedException($"{Name}: published port {published} is not its HTTP port {own.Port} on the same number");
        }
    }

    /// <summary>The URL its image's HEALTHCHECK probes, on its own address instead of the container's 127.0.0.1.</summary>
    public Uri HealthUrl => new UriBuilder(image.HealthCheck[^1]) { Host = address.ToString() }.Uri;

    /// <summary>Starts the process as the image's ENTRYPOINT would (<c>dotnet X.dll</c>).</summary>
    public void Start()
    {
        if (image.EntryPoint is not ["dotnet", var assembly, ..])
        {
            throw new NotSupportedException($"{Name}: the image's ENTRYPOINT is not dotnet X.dll: [{string.Join(", ", image.EntryPoint)}]");
        }

        var path = HostProcess.BuiltAssembly(Path.GetDirectoryName(image.PublishedProject)!, assembly);
        var start = new ProcessStartInfo("dotnet", [path, .. image.EntryPoint.Skip(2)]) { WorkingDirectory = Path.GetDirectoryName(path)! };
        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _host.Start(start);
    }

    /// <summary>Waits until its HEALTHCHECK's URL answers 200, as compose's <c>service_healthy</c> does.</summary>
    public Task WaitUntilHealthyAsync(TimeSpan within) => _host.WaitUntilReadyAsync(HealthUrl, within);

    /// <inheritdoc cref="HostProcess.KillAsync"/>
    public Task KillAsync() => _host.KillAsync();

    public string Output() => _host.Output();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
