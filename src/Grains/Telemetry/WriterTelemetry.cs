using System.Diagnostics;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Grains.Ingest;

namespace ProductEvents.Grains.Telemetry;

/// <summary>
/// The traces of the log's writer: a commit's activity is linked to the requests it carries (one commit answers many
/// requests, so they are links, not parents), and an apply step's activity is the child of its first commit and linked
/// to the others; the grain calls it makes are its children (Orleans' activity propagation).
/// </summary>
internal static class WriterTelemetry
{
    public const string CommitActivity = "ingest commit";
    public const string ApplyActivity = "ingest apply";

    public static Activity? StartCommit(List<WriterWork> batch)
    {
        if (!ProductEventsTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(batch.Count);
        foreach (var work in batch)
        {
            if (ActivityContext.TryParse(work.TraceParent, null, out var trace))
            {
                links.Add(new ActivityLink(trace));
            }
        }

        var activity = ProductEventsTelemetry.Source.StartActivity(ActivityKind.Internal, default(ActivityContext), links: links, name: CommitActivity);
        activity?.SetTag("productevents.requests", batch.Count);
        return activity;
    }

    /// <summary>Records the commit's duration and size, and ends its activity.</summary>
    public static void Committed(Activity? activity, int events, long startedAt, bool failed)
    {
        WriterMetrics.Committed(events, Stopwatch.GetElapsedTime(startedAt));
        if (activity is not null)
        {
            activity.SetTag("productevents.events", events);
            if (failed)
            {
                activity.SetStatus(ActivityStatusCode.Error, "the event log could not commit");
            }
        }
    }

    public static Activity? StartApply(List<CommittedWork> step)
    {
        if (!ProductEventsTelemetry.Source.HasListeners() || step.Count == 0)
        {
            return null;
        }

        List<ActivityLink>? links = null;
        for (var i = 1; i < step.Count; i++)
        {
            if (step[i].Trace != default)
            {
                (links ??= []).Add(new ActivityLink(step[i].Trace));
            }
        }

        var activity = ProductEventsTelemetry.Source.StartActivity(ActivityKind.Internal, step[0].Trace, links: links, name: ApplyActivity);
        activity?.SetTag("productevents.commits", step.Count);
        return activity;
    }

    /// <summary>Records how long the step's commits waited to be applied.</summary>
    public static void Applied(List<CommittedWork> step)
    {
        foreach (var work in step)
        {
            WriterMetrics.Applied(work.CommittedAt);
        }
    }
}
