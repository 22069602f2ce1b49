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
        catch (IngestQuotaExceededException ex)
        {
            IngestMetrics.Count(appId, IngestOutcome.RefusedQuota, events.Length);
            var quota = ex.Quota;
            var resetSeconds = Math.Max(1, (long)Math.Ceiling(quota.RetryAfter.TotalSeconds));
            var windowSeconds = Math.Max(1, (long)Math.Ceiling(quota.Burst / quota.EventsPerSecond));
            http.Response.Headers["RateLimit-Policy"] = FormattableString.Invariant($"\"events\";q={(long)quota.Burst};w={windowSeconds}");
            http.Response.Headers["RateLimit"] = FormattableString.Invariant($"\"events\";r={quota.Remaining};t={resetSeconds}");
            return (null, Problems.Retryable(http, StatusCodes.Status429TooManyRequests, "Quota exceeded",
                FormattableString.Invariant($"App '{appId}' may send {quota.EventsPerSecond:0.##} events per second, in bursts of up to {quota.Burst:0}; this request's {events.Length} events fit after Retry-After. Nothing of this request was stored."),
                quota.RetryAfter));
        }
        catch (EventLogUnavailableException ex)
        {
            IngestMetrics.Count(appId, IngestOutcome.RefusedOutage, events.Length);
            return (null, Problems.Retryable(http, StatusCodes.Status503ServiceUnavailable, "Event storage unavailable",
                $"{ex.Message} Nothing of this request was stored; send it again after Retry-After.", options.RetryAfter));
        }
    }
}
