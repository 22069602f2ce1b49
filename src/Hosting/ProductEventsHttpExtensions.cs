using Microsoft.AspNetCore.Hosting;
using ProductEvents.Api;
using ProductEvents.Api.Apps;
using ProductEvents.Hosting.Telemetry;

namespace ProductEvents.Hosting;

/// <summary>
/// The HTTP side of a ProductEvents process, the same wherever the API runs: in a silo (the co-hosted default) or in a
/// front door of its own. The storage and the Orleans side (silo or client) are added by each host.
/// </summary>
public static class ProductEventsHttpExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>
    /// The address (<see cref="DefaultUrl"/> unless <c>urls</c> is set) and the API's services, the ingest pipeline
    /// among them. Call it after the Orleans side (silo or client) is added: hosted services stop in reverse order,
    /// and the pipeline drains its queue into the grains while the stop runs. Telemetry is added apart
    /// (<see cref="TelemetryHostingExtensions.AddProductEventsTelemetry"/>), before the Orleans side, which needs to know
    /// whether traces are collected.
    /// </summary>
    public static WebApplicationBuilder AddProductEventsHttp(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddProductEventsApi();
        return builder;
    }

    /// <summary>Every endpoint of the API, health and <c>/metrics</c>.</summary>
    public static WebApplication MapProductEventsHttp(this WebApplication app)
    {
        app.MapProductEvents();
        app.MapMetrics();
        return app;
    }

    /// <summary>Start-up lines every API process prints: apps on published or missing keys, where it listens.</summary>
    public static void LogHttpStartup(this WebApplication app, ILogger logger)
    {
        var apps = app.Services.GetRequiredService<IOptions<AppsOptions>>().Value.Apps;
        foreach (var (appId, options) in apps)
        {
            if (AppsOptions.DevelopmentKeys.Contains(options.SecretKey ?? "") || AppsOptions.DevelopmentKeys.Contains(options.PublicKey ?? ""))
            {
                logger.LogWarning(
                    "App '{AppId}' uses the published development keys (secret 'dev-secret', public 'dev-public'). Anyone can use them; they are refused outside Development.",
                    appId);
            }
        }

        if (app.Services.GetRequiredService<AppKeyRegistry>().AppIds.Count == 0)
        {
            logger.LogWarning("No app is configured (ProductEvents:Apps:<appId>:SecretKey) or stored (apps create): every API request will get 401.");
        }

        var root = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? DefaultUrl;
        logger.LogInformation(
            "ProductEvents is listening on {Urls}. API: {Api}  Reference: {Reference}  OpenAPI: {OpenApi}{Demo}",
            string.Join(", ", app.Urls), $"{root}/api/v1/", $"{root}/docs", $"{root}/openapi/v1.json",
            app.Environment.IsDevelopment() ? $"  Demo shop: {root}/demo/" : "");
    }
}
