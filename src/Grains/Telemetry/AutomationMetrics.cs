using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Grains.Telemetry;

/// <summary>The automation instruments: runs by how they ended, and how late they fired.</summary>
public static class AutomationMetrics
{
    /// <summary>The activity around one batch of due runs fired; the grain calls of each run are its children.</summary>
    public const string FireActivity = "automation runs fire";

    private static readonly Counter<long> Runs = ProductEventsTelemetry.Meter.CreateCounter<long>(
        "productevents.automation.runs", "{run}", "Automation runs whose wait ended, by status (fired, cancelled, capped).");

    private static readonly Histogram<double> Lateness = ProductEventsTelemetry.Meter.CreateHistogram(
        "productevents.automation.run.lateness", "s", "When a run fired minus when it was due.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    private static readonly AppTags<RunStatus> StatusTags = new("status", StatusNames.Of);
    private static readonly AppOnlyTags AppTags = new();

    public static Activity? StartFiring(int runs) =>
        ProductEventsTelemetry.Source.StartActivity(FireActivity)?.SetTag("productevents.runs", runs);

    public static void Fired(RunRecord run, RunStatus status, DateTimeOffset firedAt)
    {
        Runs.Add(1, in StatusTags.Of(run.AppId, status));
        Lateness.Record(Math.Max(0, (firedAt - run.DueAt).TotalSeconds), in AppTags.Of(run.AppId));
    }
}
