using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Abstractions.Telemetry;

namespace ProductEvents.Grains.Telemetry;

/// <summary>The segment instruments: how long a membership change takes to be written, and how far builds got.</summary>
public static class SegmentMetrics
{
    /// <summary>The activity around one write of a segment's membership changes.</summary>
    public const string WriteActivity = "segment membership write";

    private static readonly Counter<long> Changes = ProductEventsTelemetry.Meter.CreateCounter<long>(
        "productevents.segment.changes", "{change}", "Membership changes written to the membership store.");

    private static readonly Histogram<double> ChangeLatency = ProductEventsTelemetry.Meter.CreateHistogram(
        "productevents.segment.change.latency", "s",
        "From the contact's evaluation that changed a membership (right after it applied the event) to the change written.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    private static readonly Counter<long> BuildContacts = ProductEventsTelemetry.Meter.CreateCounter<long>(
        "productevents.segment.build.contacts", "{contact}", "Contacts evaluated by segment builds.");

    private static readonly Counter<long> Builds = ProductEventsTelemetry.Meter.CreateCounter<long>(
        "productevents.segment.builds", "{build}", "Segment builds completed.");

    private static readonly AppOnlyTags Tags = new();

    /// <summary>A batch of one segment's changes is written; a change from a build or a recovery has no latency to show.</summary>
    public static void Written(string appId, IReadOnlyList<MembershipChange> batch, DateTimeOffset now)
    {
        ref readonly var tags = ref Tags.Of(appId);
        Changes.Add(batch.Count, in tags);
        if (!ChangeLatency.Enabled)
        {
            return;
        }

        foreach (var change in batch)
        {
            // A re-asserted membership carries its original join time: only a fresh change says when it was decided.
            var latency = now - change.At;
            if (change.Build == 0 && latency >= TimeSpan.Zero && latency < TimeSpan.FromHours(1))
            {
                ChangeLatency.Record(latency.TotalSeconds, in tags);
            }
        }
    }

    public static void BuildEvaluated(string appId, int contacts) => BuildContacts.Add(contacts, in Tags.Of(appId));

    public static void BuildCompleted(string appId) => Builds.Add(1, in Tags.Of(appId));
}
