using Microsoft.AspNetCore.Diagnostics;

namespace ProductEvents.Api.EventLog;

/// <summary>
/// Turns a storage outage met anywhere in a request (a listing, a grain replaying the log) into 503 with Retry-After.
/// </summary>
public sealed class EventLogUnavailableHandler(IProblemDetailsService problems, IOptions<IngestOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageOutage(exception))
        {
            return false;
        }

        var result = Problems.Retryable(httpContext, StatusCodes.Status503ServiceUnavailable, "Event storage unavailable",
            "The event log's storage cannot be reached; try again after Retry-After.", options.Value.RetryAfter);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = result.ProblemDetails });
    }

    private static bool IsStorageOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (StorageErrors.IsDataError(e) || e is EventLogDataException)
            {
                return false;
            }

            if (e is EventLogUnavailableException or System.Data.Common.DbException)
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsStorageOutage))
            {
                return true;
            }
        }

        return false;
    }
}
