using ProductEvents.Client;
using ProductEvents.Hosting;
using ProductEvents.Hosting.Telemetry;
using ProductEvents.Storage;

namespace ProductEvents.FrontDoor;

/// <summary>
/// Builds a front door: the HTTP API in a process of its own that joins the cluster as an Orleans client (ADO.NET
/// clustering on the cluster's PostgreSQL, the silos' <c>Orleans:ServiceId</c> and <c>Orleans:ClusterId</c>). It keeps
/// no state of its own, so any number of them can run behind a load balancer. Durable mode only:
/// <c>ConnectionStrings:Postgres</c> is required. Migrations, schedulers, the delivery worker and the dashboard stay
/// with the silos.
/// </summary>
public static class FrontDoorHost
{
    /// <param name="configure">Lets tests add configuration or services before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var tracing = builder.AddProductEventsTelemetry();
        builder.AddProductEventsClient();
        if (tracing)
        {
            builder.UseOrleansClient(client => client.AddActivityPropagation());
        }

        // After the client: hosted services stop in reverse order, so the ingest pipeline drains while connected.
        builder.AddProductEventsHttp();
        builder.Services.AddPostgresStorage(builder.Configuration.GetConnectionString(ClusterDefaults.ConnectionStringName)!);

        var app = builder.Build();
        app.MapProductEventsHttp();
        app.Lifetime.ApplicationStarted.Register(() => LogStartup(app));
        return app;
    }

    private static void LogStartup(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ProductEvents.Startup");
        var cluster = app.Services.GetRequiredService<IOptions<ProductEventsClientOptions>>().Value;
        logger.LogInformation(
            "FRONT DOOR. Orleans client of service id '{ServiceId}', cluster id '{ClusterId}': gateways from the membership table on PostgreSQL (invariant {Invariant}).",
            cluster.ServiceId, cluster.ClusterId, ClusterDefaults.AdoNetInvariant);
        app.LogHttpStartup(logger);
    }
}
