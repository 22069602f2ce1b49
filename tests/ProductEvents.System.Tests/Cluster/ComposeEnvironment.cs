using System.Net;
using System.Text.RegularExpressions;
using Npgsql;

namespace ProductEvents.SystemTests.Cluster;

/// <summary>
/// The environment a compose service's container gets, for its process on this machine: the image's ENV, then the
/// service's own (overriding it), its <c>${...}</c> filled; then the network mapped, and only that.
/// </summary>
public static partial class ComposeEnvironment
{
    /// <summary>What <c>dotnet</c> needs to run on this machine, standing for the base image's own environment.</summary>
    private static readonly string[] HostVariables = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR"];

    /// <param name="network">Maps compose network addresses (<c>Orleans__AdvertisedIPAddress</c>) onto the loopback.</param>
    /// <param name="address">The process's own loopback address: where <c>http://+:port</c> listens.</param>
    /// <param name="postgres">The PostgreSQL service, whose host name and port become <paramref name="postgresPort"/> on 127.0.0.1.</param>
    public static Dictionary<string, string> Of(
        ComposeService service, Dockerfile image, IReadOnlyDictionary<string, string> variables, LoopbackNetwork network, IPAddress address, string postgres, int postgresPort)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in HostVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var (key, value) in image.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in service.Environment)
        {
            environment[key] = ComposeService.Substitute(value, variables);
        }

        if (environment.TryGetValue("ConnectionStrings__Postgres", out var connectionString))
        {
            environment["ConnectionStrings__Postgres"] = OnThisMachine(connectionString, postgres, postgresPort);
        }

        if (environment.TryGetValue("Orleans__AdvertisedIPAddress", out var advertised))
        {
            environment["Orleans__AdvertisedIPAddress"] = network.Map(IPAddress.Parse(advertised)).ToString();
        }

        if (environment.TryGetValue("ASPNETCORE_URLS", out var urls))
        {
            environment["ASPNETCORE_URLS"] = string.Join(';', urls.Split(';').Select(url => ListenOn(url, address)));
        }

        return environment;
    }

    private static string OnThisMachine(string connectionString, string postgres, int port)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Host != postgres || builder.Port != NpgsqlConnection.DefaultPort)
        {
            throw new NotSupportedException($"ConnectionStrings__Postgres names {builder.Host}:{builder.Port}, not the {postgres} service.");
        }

        builder.Host = IPAddress.Loopback.ToString();
        builder.Port = port;
        return builder.ConnectionString;
    }

    /// <summary>A URL on every address of the container (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) listens on the process's own.</summary>
    private static string ListenOn(string url, IPAddress address)
    {
        var match = AnyAddressUrl().Match(url);
        return match.Success
            ? $"{match.Groups["scheme"].Value}://{address}:{match.Groups["port"].Value}"
            : throw new NotSupportedException($"ASPNETCORE_URLS {url} does not listen on every address of the container.");
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(\+|\*|0\.0\.0\.0|\[::\]):(?<port>\d+)/?$")]
    private static partial Regex AnyAddressUrl();
}
