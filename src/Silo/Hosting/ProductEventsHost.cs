using System.Net;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Dashboard;
using ProductEvents.Api;
using ProductEvents.Api.Apps;
using ProductEvents.Api.EventLog;
using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Erasure;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Segments;
using ProductEvents.Silo.Deliveries;
using ProductEvents.Silo.Maintenance;
using ProductEvents.Silo.Telemetry;
using ProductEvents.Storage;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Migrations;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Builds the single-process host: an Orleans silo with the HTTP API in front of it. Without
/// <c>ConnectionStrings:Postgres</c> it is the embedded default (everything in memory); with it, durable mode.
/// </summary>
public static class ProductEventsHost
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <param name="configure">Lets tests and tools add configuration or services before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton<ILoggerFactory>(sp => new WatchdogStartFilter(ActivatorUtilities.CreateInstance<LoggerFactory>(sp)));
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Read here, not through IOptions: the silo is configured from it before the host exists.
        var orleans = builder.Configuration.GetSection(OrleansHostingOptions.Section).Get<OrleansHostingOptions>() ?? new();
        orleans.Validated<OrleansHostingOptions, OrleansHostingOptionsValidator>(OrleansHostingOptions.Section);
        var postgres = builder.Configuration.GetConnectionString("Postgres");
        var durable = !string.IsNullOrEmpty(postgres);
        var tracing = builder.AddProductEventsTelemetry();
        if (durable)
        {
            // Registered before the silo so the schema exists when the silo reads its membership table.
            builder.Services.AddHostedService(sp => new SchemaMigrationService(postgres!, sp.GetRequiredService<ILogger<SchemaMigrator>>()));
        }

        builder.UseOrleans(silo =>
        {
            if (durable)
            {
                silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (orleans.ServiceId, orleans.ClusterId));
                silo.ConfigureEndpoints(IPAddress.Parse(orleans.AdvertisedIPAddress), orleans.SiloPort, orleans.GatewayPort);
                silo.UsePostgresOrleansProviders(PostgresConnections.Tune(postgres!));
            }
            else
            {
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
                silo.Services.AddGrainStorage(StorageNames.Snapshots, (sp, _) => ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp));
                silo.UseInMemoryReminderService();
            }

            silo.AddSegments().AddAutomations();
            silo.AddDashboard();
            if (tracing)
            {
                silo.AddActivityPropagation();
            }
        });

        builder.Services.AddOptions<ProjectionOptions>().BindValidated<ProjectionOptions, ProjectionOptionsValidator>(ProjectionOptions.Section);
        builder.Services.AddProductEventsApi();
        builder.Services.AddDeliveryWorker();
        builder.Services.AddContactErasure();
        builder.Services.AddRetention();
        if (durable)
        {
            builder.Services.AddPostgresStorage(postgres!);
            builder.Services.AddHostedService<SegmentRecoveryService>();
            builder.Services.AddHostedService<WakeUpSweep>();
        }
        else
        {
            builder.Services.AddInMemoryStorage();
        }

        var app = builder.Build();
        app.MapProductEvents();
        app.MapOperatorEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => LogStartup(app, durable));
        return app;
    }

    private static void LogStartup(WebApplication app, bool durable)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ProductEvents.Startup");
        var log = app.Services.GetRequiredService<IEventLog>();
        if (durable)
        {
            logger.LogInformation(
                "DURABLE MODE. Event log: {EventLog}. Orleans providers: ADO.NET clustering, ADO.NET grain storage '{Storage}' and ADO.NET reminders on PostgreSQL (invariant {Invariant}).",
                log.Describe(), StorageNames.Snapshots, PostgresOrleansExtensions.Invariant);
        }
        else
        {
            logger.LogWarning(
                "EMBEDDED MODE: NOTHING IS DURABLE. Event log {EventLog}; Orleans localhost clustering, grain snapshots in memory. Set ConnectionStrings:Postgres for durable mode.",
                log.Describe());
        }

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

        if (apps.Count == 0)
        {
            logger.LogWarning("No app is configured (ProductEvents:Apps:<appId>:SecretKey): every API request will get 401.");
        }

        var root = app.Urls.FirstOrDefault()?.TrimEnd('/') ?? DefaultUrl;
        logger.LogInformation(
            "ProductEvents is listening on {Urls}. API: {Api}  Reference: {Reference}  OpenAPI: {OpenApi}{Demo}",
            string.Join(", ", app.Urls), $"{root}/api/v1/", $"{root}/docs", $"{root}/openapi/v1.json",
            app.Environment.IsDevelopment() ? $"  Demo shop: {root}/demo/" : "");
    }
}
