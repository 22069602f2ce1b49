using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Api.Operator;

namespace ProductEvents.Hosting.Telemetry;

/// <summary>
/// Metrics (ProductEvents', Orleans', ASP.NET Core's, HttpClient's, the runtime's and Npgsql's) scraped at
/// <c>/metrics</c> and pushed over OTLP when <c>OpenTelemetry:Otlp:Endpoint</c> is set; traces only then, as there is
/// nowhere else to send them; JSON console logs outside Development. The same for silos and front doors (the Orleans
/// Dashboard at <c>/dashboard</c> is the silo's own). docs/operations.md lists the series.
/// </summary>
public static class TelemetryHostingExtensions
{
    public const string ServiceName = "product-events";
    public const string MetricsPath = "/metrics";
    public const string DashboardPath = "/dashboard";

    /// <summary>The meter of Orleans' runtime instruments (activations, messaging, directory, ...).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources: grain calls (with <c>AddActivityPropagation</c>), activation, storage.</summary>
    public const string OrleansSources = "Microsoft.Orleans.*";

    /// <summary>Whether traces are collected (an OTLP endpoint is set); the silo then propagates activities through grain calls.</summary>
    public static bool AddProductEventsTelemetry(this WebApplicationBuilder builder)
    {
        // Read here, not through IOptions: which exporters exist is decided before the host is built.
        var otlp = (builder.Configuration.GetSection(OtlpOptions.Section).Get<OtlpOptions>() ?? new())
            .Validated<OtlpOptions, OtlpOptionsValidator>(OtlpOptions.Section);

        if (!builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            // One JSON object per line for log collectors; Development keeps the readable console.
            builder.Logging.AddJsonConsole();
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProductEventsTelemetry.Name, OrleansMeter)
                    .AddView(OrleansView)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddPrometheusExporter();
                if (otlp.Enabled)
                {
                    metrics.AddOtlpExporter(o => Configure(o, otlp, "v1/metrics"));
                }
            });

        if (otlp.Enabled)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ProductEventsTelemetry.Name, OrleansSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperatorPath(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o => Configure(o, otlp, "v1/traces")));
        }

        return otlp.Enabled;
    }

    /// <summary>Orleans' synchronous instruments kept: those counted per activation, membership change or storage call.</summary>
    private static readonly string[] OrleansKept = ["orleans-catalog", "orleans-membership", "orleans-storage", "orleans-reminders"];

    /// <summary>
    /// Orleans' observable instruments (activations, directory sizes: read at collection) and its low-rate ones are
    /// kept; its per-message and per-call instruments are dropped, so Orleans does not record them: measured, listening
    /// to them cost a third of the batch ingest rate (docs/performance.md).
    /// </summary>
    private static MetricStreamConfiguration? OrleansView(Instrument instrument) =>
        instrument.Meter.Name != OrleansMeter
        || instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal)
        || OrleansKept.Any(prefix => instrument.Name.StartsWith(prefix, StringComparison.Ordinal))
            ? null
            : MetricStreamConfiguration.Drop;

    /// <summary><c>/metrics</c>, behind the operator key outside Development.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireOperatorKey();
        return app;
    }

    private static bool IsOperatorPath(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments(DashboardPath);

    /// <summary>gRPC takes the collector's address as it is; HTTP takes one path per signal under it.</summary>
    private static void Configure(OtlpExporterOptions exporter, OtlpOptions otlp, string signalPath)
    {
        exporter.Protocol = otlp.Protocol;
        exporter.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri($"{otlp.Endpoint!.TrimEnd('/')}/{signalPath}")
            : new Uri(otlp.Endpoint!);
    }
}
