using System.Net;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Hosting.Server;
using ProductEvents.Hosting;
using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Erasure;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Segments;
using ProductEvents.Silo.Deliveries;
using ProductEvents.Hosting.Telemetry;
using ProductEvents.Silo.Maintenance;
using ProductEvents.Silo.Telemetry;
using ProductEvents.Storage;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Migrations;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Builds the single-process host: an Orleans silo with the HTTP API in front of it. Without
/// <c>ConnectionStrings:Postgres</c> it is the embedded default (everything in memory); with it, durable mode. With
/// <c>ProductEvents:Http:Enabled</c> false the silo serves no HTTP (front doors serve the API, src/FrontDoor).
/// </summary>
public static class ProductEventsHost
{
    public const string DefaultUrl = ProductEventsHttpExtensions.DefaultUrl;

    /// <param name="configure">Lets tests and tools add configuration or services before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton<ILoggerFactory>(sp => new WatchdogStartFilter(ActivatorUtilities.CreateInstance<LoggerFactory>(sp)));
        configure?.Invoke(builder);

        // Read here, not through IOptions: the silo is configured from it before the host exists.
        var orleans = builder.Configuration.GetSection(OrleansHostingOptions.Section).Get<OrleansHostingOptions>() ?? new();
        orleans.Validated<OrleansHostingOptions, OrleansHostingOptionsValidator>(OrleansHostingOptions.Section);
        var http = builder.Configuration.GetSection(HttpHostingOptions.Section).Get<HttpHostingOptions>() ?? new();
        var memory = (builder.Configuration.GetSection(MemoryOptions.Section).Get<MemoryOptions>() ?? new())
            .Validated<MemoryOptions, MemoryOptionsValidator>(MemoryOptions.Section);
        var budget = MemoryBudget.Of(memory, MemoryBudget.OfProcess());
        var postgres = builder.Configuration.GetConnectionString(ClusterDefaults.ConnectionStringName);
        var durable = !string.IsNullOrEmpty(postgres);

        var tracing = builder.AddProductEventsTelemetry();

        // The dashboard times every grain call; measured, that costs a third of the batch ingest rate
        // (docs/performance.md), so outside Development it is on only when asked for.
        var dashboard = builder.Configuration.GetValue("ProductEvents:Dashboard:Enabled", builder.Environment.IsDevelopment());
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
                if (orleans.Kubernetes)
                {
                    silo.UseKubernetesHosting();
                }

                // A silo that dies is declared dead after about three missed probes: 6 s instead of Orleans' 15 s, so
                // its grains come back on the others soon. Orleans:Membership sets any ClusterMembershipOptions.
                silo.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = TimeSpan.FromSeconds(2));
                silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
            }
            else
            {
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
                silo.Services.AddGrainStorage(StorageNames.Snapshots, (sp, _) => ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp));
                silo.UseInMemoryReminderService();
            }

            silo.Configure<GrainCollectionOptions>(o => budget.ApplyTo(o, memory.GrainCollectionAge));
            silo.Configure<GrainDirectoryOptions>(budget.ApplyTo);
            silo.AddSegments().AddAutomations();
            if (dashboard)
            {
                silo.AddDashboard();
            }
            if (tracing)
            {
                silo.AddActivityPropagation();
            }
        });

        builder.Services.AddOptions<ProjectionOptions>().BindValidated<ProjectionOptions, ProjectionOptionsValidator>(ProjectionOptions.Section);

        // After the silo: hosted services stop in reverse order, so the ingest pipeline drains into running grains. The
        // API's services stay registered without HTTP (the silo's own services read some of its options); only the
        // server and the endpoints go.
        builder.AddProductEventsHttp();
        if (!http.Enabled)
        {
            builder.Services.AddSingleton<IServer, NoHttpServer>();
        }

        builder.Services.AddSingleton(budget).AddHostedService<MemoryBudgetWatch>();
        builder.Services.AddDeliveryWorker();
        builder.Services.AddContactErasure();
        builder.Services.AddRetention();
        builder.Services.AddHealthChecks().AddCheck<SiloMembershipHealthCheck>("silo-membership", tags: ["ready"]);
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
        if (http.Enabled)
        {
            app.MapProductEventsHttp();
            if (dashboard)
            {
                app.MapDashboard();
            }
        }

        app.Lifetime.ApplicationStarted.Register(() => LogStartup(app, durable, orleans, http, memory, budget));
        return app;
    }

    private static void LogStartup(
        WebApplication app, bool durable, OrleansHostingOptions orleans, HttpHostingOptions http, MemoryOptions memory, MemoryBudget budget)
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

        logger.LogInformation(
            "Orleans cluster: service id '{ServiceId}', cluster id '{ClusterId}'; this silo: silo port {SiloPort}, gateway port {GatewayPort}, advertised address {AdvertisedAddress}{Kubernetes}.",
            orleans.ServiceId, orleans.ClusterId, orleans.SiloPort, orleans.GatewayPort,
            durable ? orleans.AdvertisedIPAddress : "127.0.0.1 (localhost clustering)", durable && orleans.Kubernetes ? ", Kubernetes hosting" : "");
        LogMemory(logger, memory, budget);
        if (http.Enabled)
        {
            app.LogHttpStartup(logger);
        }
        else
        {
            logger.LogInformation("HTTP is off (ProductEvents:Http:Enabled is false): this silo serves no API; front doors do.");
        }
    }

    private static void LogMemory(ILogger logger, MemoryOptions memory, MemoryBudget budget)
    {
        MemoryMetrics.Observe(budget);
        if (MemoryBudget.ExceedsAvailable(memory, budget.AvailableBytes))
        {
            logger.LogWarning(
                "{Key} is {Configured} MB, more than the {Available} MB available to this process: the budget is what is available.",
                $"{MemoryOptions.Section}:{nameof(MemoryOptions.BudgetMegabytes)}", memory.BudgetMegabytes, MemoryBudget.Megabytes(budget.AvailableBytes));
        }

        logger.LogInformation(
            "Memory budget {Budget} MB{Source}: idle grains are deactivated, oldest first, while the GC heap in use exceeds {HeapLimit} MB, down to {HeapTarget} MB; product, contact and frequency-cap grains idle for {Age} are deactivated.",
            MemoryBudget.Megabytes(budget.BudgetBytes), memory.BudgetMegabytes == 0 ? " (the memory available to the process; ProductEvents:Memory:BudgetMegabytes sets one)" : "",
            MemoryBudget.Megabytes(budget.HeapLimitBytes), MemoryBudget.Megabytes(budget.HeapTargetBytes), memory.GrainCollectionAge);
    }
}
