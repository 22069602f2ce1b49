using System.Diagnostics;
using ProductEvents.Api.Telemetry;

namespace ProductEvents.Api.Endpoints;

/// <summary>Hands parsed events to the pipeline and turns overload and storage outages into retryable answers.</summary>
internal static class IngestSubmission
{
    /// <summary>
    /// The 429 for an app that is still within the Retry-After of a quota refusal, answered before its body is read
    /// (so a client that ignores Retry-After costs no parsing); null when the app may send.
    /// </summary>
    public static ProblemHttpResult? RefuseEarly(HttpContext http, IngestPipeline pipeline, string appId)
    {
        if (pipeline.RefusedForQuota(appId) is not { } quota)
        {
            return null;
        }

        return QuotaProblem(http, appId, quota, "send it again after Retry-After");
    }

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
            return (null, QuotaProblem(http, appId, ex.Quota, $"this request's {events.Length} events fit after Retry-After"));
        }
        catch (EventLogUnavailableException ex)
        {
            IngestMetrics.Count(appId, IngestOutcome.RefusedOutage, events.Length);
            return (null, Problems.Retryable(http, StatusCodes.Status503ServiceUnavailable, "Event storage unavailable",
                $"{ex.Message} Nothing of this request was stored; send it again after Retry-After.", options.RetryAfter));
        }
    }

    private static ProblemHttpResult QuotaProblem(HttpContext http, string appId, QuotaExceeded quota, string when)
    {
        var resetSeconds = Math.Max(1, (long)Math.Ceiling(quota.RetryAfter.TotalSeconds));
        var windowSeconds = Math.Max(1, (long)Math.Ceiling(quota.Burst / quota.EventsPerSecond));
        http.Response.Headers["RateLimit-Policy"] = FormattableString.Invariant($"\"events\";q={(long)quota.Burst};w={windowSeconds}");
        http.Response.Headers["RateLimit"] = FormattableString.Invariant($"\"events\";r={quota.Remaining};t={resetSeconds}");
        return Problems.Retryable(http, StatusCodes.Status429TooManyRequests, "Quota exceeded",
            FormattableString.Invariant($"App '{appId}' may send {quota.EventsPerSecond:0.##} events per second, in bursts of up to {quota.Burst:0}; {when}. Nothing of this request was stored."),
            quota.RetryAfter);
    }
}
