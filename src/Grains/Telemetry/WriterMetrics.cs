using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Grains.Ingest;

namespace ProductEvents.Grains.Telemetry;

/// <summary>The instruments of the log's writer: its commits, how far grains lag behind them, and its retries.</summary>
public static class WriterMetrics
{
    private static readonly Meter Meter = ProductEventsTelemetry.Meter;

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "productevents.ingest.commit.duration", "s", "One group commit to the event log.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProductEventsTelemetry.LatencyBuckets });

    private static readonly Histogram<long> CommitEvents = Meter.CreateHistogram(
        "productevents.ingest.commit.events", "{event}", "Events in one group commit.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });

    private static readonly Histogram<double> ApplyLag = Meter.CreateHistogram(
        "productevents.ingest.apply.lag", "s", "From a commit to its events applied to the product and contact grains.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProductEventsTelemetry.LatencyBuckets });

    private static readonly Counter<long> ApplyRetries = Meter.CreateCounter<long>(
        "productevents.ingest.apply.retries", "{call}", "Grain calls of the apply step that failed and were made again.");

    private static readonly List<LogWriter> Writers = [];

    static WriterMetrics() =>
        Meter.CreateObservableGauge("productevents.ingest.unapplied", () => Sum(), "{event}",
            "Committed events not yet applied to grains (ProductEvents:Ingest:MaxUnappliedEvents bounds it).");

    public static void Committed(int events, TimeSpan elapsed)
    {
        CommitDuration.Record(elapsed.TotalSeconds);
        CommitEvents.Record(events);
    }

    /// <param name="committedAt">The <see cref="Stopwatch.GetTimestamp"/> of the commit now applied.</param>
    public static void Applied(long committedAt) => ApplyLag.Record(Stopwatch.GetElapsedTime(committedAt).TotalSeconds);

    public static void Retried(int calls) => ApplyRetries.Add(calls);

    /// <summary>Makes a writer's backlog part of the gauge while it runs (one per cluster; tests run several hosts in one process).</summary>
    internal static IDisposable Observe(LogWriter writer)
    {
        lock (Writers)
        {
            Writers.Add(writer);
        }

        return new Unobserve(writer);
    }

    private static long Sum()
    {
        lock (Writers)
        {
            return Writers.Sum(w => (long)w.UnappliedEvents);
        }
    }

    private sealed class Unobserve(LogWriter writer) : IDisposable
    {
        public void Dispose()
        {
            lock (Writers)
            {
                Writers.Remove(writer);
            }
        }
    }
}
