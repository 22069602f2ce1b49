using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProductEvents.Abstractions.Telemetry;

/// <summary>
/// The one <see cref="Meter"/> and <see cref="ActivitySource"/> of ProductEvents, both named <see cref="Name"/>. Each
/// area defines its instruments on them in a Telemetry folder of its own; docs/operations.md lists them all.
/// </summary>
public static class ProductEventsTelemetry
{
    public const string Name = "ProductEvents";

    /// <summary>The tag every ProductEvents series carries: the app (workspace) it is about.</summary>
    public const string AppTag = "app_id";

    public static readonly Meter Meter = new(Name);

    /// <summary>Histogram buckets of ingest latencies, in seconds: from half a millisecond to a minute, finer where ingest usually is.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public static readonly ActivitySource Source = new(Name);
}
