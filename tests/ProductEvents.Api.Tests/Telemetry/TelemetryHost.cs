using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using ProductEvents.Silo.Hosting;
using ProductEvents.Testing;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>
/// A host of the telemetry tests' own, with one app of its own: the ProductEvents meter is process-wide, so the series
/// of an app no other test writes to are exact whatever the other hosts of the test process do.
/// </summary>
public static class TelemetryHost
{
    public const string OperatorKey = "operator-key-5e0b9d2c";

    public static WebApplication Build(string environment, string appId, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ProductEvents:Apps:{appId}:SecretKey"] = SecretKey(appId),
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"tests-{Guid.NewGuid():N}",
            ["ConnectionStrings:Postgres"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ProductEvents"] = "Error",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return ProductEventsHost.Build(
            ["--urls=http://127.0.0.1:0", $"--environment={environment}"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                configure?.Invoke(builder);
            });
    }

    public static string SecretKey(string appId) => $"{appId}-secret-71c4";

    public static HttpClient Client(WebApplication app, string? key = null, string scheme = "Token")
    {
        var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, key);
        }

        return http;
    }
}
