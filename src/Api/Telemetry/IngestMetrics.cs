using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Telemetry;

namespace ProductEvents.Api.Telemetry;

/// <summary>
/// The ingest instruments. The hot path only adds to counters and records histograms with tag lists built once per
/// app (<see cref="AppTags{TValue}"/>): nothing is allocated per event or per request for metrics.
/// </summary>
public static class IngestMetrics
{
    private static readonly Meter Meter = ProductEventsTelemetry.Meter;

    private static readonly Counter<long> Events = Meter.CreateCounter<long>(
        "productevents.ingest.events", "{event}", "Events sent to ingest, by app and outcome.");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "productevents.ingest.request.duration", "s", "From a request's events entering the ingest queue to their answer (queue wait and commit).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProductEventsTelemetry.LatencyBuckets });

    private static readonly AppTags<IngestOutcome> OutcomeTags = new("outcome", Name);

    private static readonly AppOnlyTags AppTags = new();

    private static readonly List<IngestPipeline> Pipelines = [];

    static IngestMetrics()
    {
        Meter.CreateObservableGauge("productevents.ingest.queue.depth", () => Sum(p => p.QueuedEvents), "{event}",
            "Events waiting in this process's front door to be sent to the log's writer (ProductEvents:Ingest:QueueCapacity bounds it).");
    }

    public static void Count(string appId, IngestOutcome outcome, int events)
    {
        if (events > 0 && Events.Enabled)
        {
            Events.Add(events, in OutcomeTags.Of(appId, outcome));
        }
    }

    /// <summary>Counts what the log did with a request's events and how long the request waited for it.</summary>
    public static void Answered(string appId, ReadOnlySpan<AppendOutcome> outcomes, long submittedAt)
    {
        int accepted = 0, duplicates = 0, rejected = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.IsRefused)
            {
                rejected++;
            }
            else if (outcome.IsDuplicate)
            {
                duplicates++;
            }
            else
            {
                accepted++;
            }
        }

        Count(appId, IngestOutcome.Accepted, accepted);
        Count(appId, IngestOutcome.Duplicate, duplicates);
        Count(appId, IngestOutcome.Rejected, rejected);
        RequestDuration.Record(Stopwatch.GetElapsedTime(submittedAt).TotalSeconds, in AppTags.Of(appId));
    }

    /// <summary>Makes a pipeline's queue and backlog part of the gauges while it runs.</summary>
    internal static IDisposable Observe(IngestPipeline pipeline)
    {
        lock (Pipelines)
        {
            Pipelines.Add(pipeline);
        }

        return new Unobserve(pipeline);
    }

    private static string Name(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Accepted => "accepted",
        IngestOutcome.Duplicate => "duplicate",
        IngestOutcome.Rejected => "rejected",
        IngestOutcome.RefusedOverload => "refused_overload",
        IngestOutcome.RefusedQuota => "refused_quota",
        _ => "refused_outage",
    };

    /// <summary>One process normally runs one pipeline; tests run several hosts in one process.</summary>
    private static long Sum(Func<IngestPipeline, int> read)
    {
        lock (Pipelines)
        {
            long sum = 0;
            foreach (var pipeline in Pipelines)
            {
                sum += read(pipeline);
            }

            return sum;
        }
    }

    private sealed class Unobserve(IngestPipeline pipeline) : IDisposable
    {
        public void Dispose()
        {
            lock (Pipelines)
            {
                Pipelines.Remove(pipeline);
            }
        }
    }
}
