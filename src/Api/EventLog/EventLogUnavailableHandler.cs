using Microsoft.AspNetCore.Diagnostics;

namespace ProductEvents.Api.EventLog;

/// <summary>
/// Turns a storage outage met anywhere in a request (a listing, a grain replaying the log), or a silo that cannot be
/// reached while the cluster replaces it, into 503 with Retry-After.
/// </summary>
public sealed class EventLogUnavailableHandler(IProblemDetailsService problems, IOptions<IngestOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (string Title, string Detail)? problem = IsStorageOutage(exception)
            ? ("Event storage unavailable", $"{Unavailable(exception)?.Message ?? "The event log's storage cannot be reached."} Try again after Retry-After.")
            : IsClusterChange(exception)
                ? ("Service unavailable", "A silo of the cluster cannot be reached right now (it stopped, and its grains move to the others); try again after Retry-After.")
                : null;
        if (problem is not { } found)
        {
            return false;
        }

        var result = Problems.Retryable(httpContext, StatusCodes.Status503ServiceUnavailable, found.Title, found.Detail, options.Value.RetryAfter);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = result.ProblemDetails });
    }

    private static EventLogUnavailableException? Unavailable(Exception? exception) =>
        exception is null ? null : exception as EventLogUnavailableException ?? Unavailable(exception.InnerException);

    /// <summary>Orleans could not deliver a call or its answer: the silo it went to is gone or the call timed out.</summary>
    private static bool IsClusterChange(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
        || exception.InnerException is { } inner && IsClusterChange(inner);

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
