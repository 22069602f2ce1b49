namespace ProductEvents.Api.Endpoints;

/// <summary>Hands parsed events to the pipeline and turns overload and storage outages into retryable answers.</summary>
internal static class IngestSubmission
{
    public static async Task<(AppendOutcome[]? Outcomes, ProblemHttpResult? Failure)> SubmitAsync(
        HttpContext http, IngestPipeline pipeline, IngestOptions options, ProductEventRecord[] events)
    {
        try
        {
            return (await pipeline.SubmitAsync(events), null);
        }
        catch (IngestOverloadedException)
        {
            return (null, Problems.Retryable(http, StatusCodes.Status429TooManyRequests, "Too many events in flight",
                "The ingest queue is full. Nothing of this request was stored; send it again after Retry-After.", options.RetryAfter));
        }
        catch (EventLogUnavailableException ex)
        {
            return (null, Problems.Retryable(http, StatusCodes.Status503ServiceUnavailable, "Event storage unavailable",
                $"{ex.Message} Nothing of this request was stored; send it again after Retry-After.", options.RetryAfter));
        }
    }
}
