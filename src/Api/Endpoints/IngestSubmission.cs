using System.Diagnostics;
using ProductEvents.Api.Telemetry;

namespace ProductEvents.Api.Endpoints;

/// <summary>Hands parsed events to the pipeline and turns overload and storage outages into retryable answers.</summary>
internal static class IngestSubmission
{
    /// <param name="events">Events of one app (a request is always of one app).</param>
    public static async Task<(AppendOutcome[]? Outcomes, ProblemHttpResult? Failure)> SubmitAsync(
        HttpContext http, IngestPipeline pipeline, IngestOptions options, ProductEventRecord[] events)
    {
        var appId = events[0].AppId;
        var submittedAt = Stopwatch.GetTimestamp();
        try
        {
            var outcomes = await pipeline.SubmitAsync(events);
            IngestMetrics.Answered(appId, outcomes, submittedAt);
            return (outcomes, null);
        }
        catch (IngestOverloadedException)
        {
            IngestMetrics.Count(appId, IngestOutcome.RefusedOverload, events.Length);
            return (null, Problems.Retryable(http, StatusCodes.Status429TooManyRequests, "Too many events in flight",
                "The ingest queue is full. Nothing of this request was stored; send it again after Retry-After.", options.RetryAfter));
        }
        catch (EventLogUnavailableException ex)
        {
            IngestMetrics.Count(appId, IngestOutcome.RefusedOutage, events.Length);
            return (null, Problems.Retryable(http, StatusCodes.Status503ServiceUnavailable, "Event storage unavailable",
                $"{ex.Message} Nothing of this request was stored; send it again after Retry-After.", options.RetryAfter));
        }
    }
}
