using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using ProductEvents.Silo.Hosting;
using ProductEvents.Testing;

namespace ProductEvents.Api.Tests.Support;

/// <summary>Builds the real single-process host on a free HTTP port and free Orleans ports.</summary>
public static class TestHost
{
    public static WebApplication Build(string environment, IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var configuration = new Dictionary<string, string?>(settings)
        {
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"tests-{Guid.NewGuid():N}",

            // The embedded default (in-memory log) whatever the machine's environment says.
            ["ConnectionStrings:Postgres"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ProductEvents"] = "Error",
            ["Logging:LogLevel:Orleans"] = "Error",
        };

        return ProductEventsHost.Build(
            ["--urls=http://127.0.0.1:0", $"--environment={environment}"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                configure?.Invoke(builder);
            });
    }

    /// <summary>The address the started host listens on.</summary>
    public static Uri Address(WebApplication app) => new(app.Urls.Single());
}
