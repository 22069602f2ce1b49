using ProductEvents.Api.Json;
using ProductEvents.Api.Telemetry;

namespace ProductEvents.Api.Endpoints;

/// <summary>Ingest (one event, a batch) and the app-wide listing of product events.</summary>
public static class ProductEventsApi
{
    public static IEndpointRouteBuilder MapProductEventsApi(this IEndpointRouteBuilder routes)
    {
        var ingest = routes.MapGroup("/api/v1/product-events").WithTags("Product events").RequireAppKey(allowPublicKey: true, allowKeyInQuery: true);
        ingest.MapPost("/", PostEventAsync).WithName("PostProductEvent");
        ingest.MapPost("/batch", PostBatchAsync).WithName("PostProductEventBatch");

        routes.MapGroup("/api/v1/product-events").WithTags("Product events").RequireAppKey(allowPublicKey: false)
            .MapGet("/", (HttpContext http, IEventLog log) => EventListing.ListAsync(http, log, productId: null, userId: null))
            .WithName("ListProductEvents");
        return routes;
    }

    public static async Task<Results<Accepted<EventAcceptedResponse>, ValidationProblem, ProblemHttpResult>> PostEventAsync(
        HttpContext http, IngestPipeline pipeline, IOptions<IngestOptions> options, TimeProvider clock)
    {
        var app = AppKeyFilter.Current(http);
        if (IngestSubmission.RefuseEarly(http, pipeline, app.AppId) is { } refused)
        {
            return refused;
        }

        var (document, error) = await JsonBody.ReadAsync(http.Request, IngestLimits.MaxEventBytes, http.RequestAborted, checkValues: false);
        if (document is null)
        {
            return AsProblem(error!);
        }

        // The document goes back to the pool before the wait for the commit: the record holds copies of what it needs.
        ProductEventRecord? record;
        Dictionary<string, string[]>? errors;
        using (document)
        {
            record = ProductEventParser.Parse(document.RootElement, app.AppId, clock.GetUtcNow(), out errors);
        }

        if (record is null)
        {
            IngestMetrics.Count(app.AppId, IngestOutcome.Rejected, 1);
            return Problems.Invalid(errors!);
        }

        var (outcomes, failure) = await IngestSubmission.SubmitAsync(http, pipeline, options.Value, [record]);
        if (failure is not null)
        {
            return failure;
        }

        var outcome = outcomes![0];
        if (outcome.IsRefused)
        {
            return Problems.Invalid("body", outcome.RefusedBecause!);
        }

        return TypedResults.Accepted((string?)null, new EventAcceptedResponse(outcome.Id.ToString(), outcome.Number, outcome.IsDuplicate));
    }

    public static async Task<Results<Ok<BatchRequestResults>, ValidationProblem, ProblemHttpResult>> PostBatchAsync(
        HttpContext http, IngestPipeline pipeline, IOptions<IngestOptions> options, TimeProvider clock)
    {
        var app = AppKeyFilter.Current(http);
        if (IngestSubmission.RefuseEarly(http, pipeline, app.AppId) is { } refused)
        {
            return refused;
        }

        var (document, error) = await JsonBody.ReadAsync(http.Request, IngestLimits.MaxBatchBytes, http.RequestAborted, checkValues: false);
        if (document is null)
        {
            return AsProblem(error!);
        }

        BatchItemResult[] results;
        List<ProductEventRecord> accepted;
        List<int> acceptedIndexes;
        using (document)
        {
            // The items are checked one by one (a refused item does not stop the others); the envelope's own names here.
            if (JsonInput.FindNameProblem(document.RootElement, "") is { } problem)
            {
                return Problems.Invalid(problem.Path, problem.Reason);
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("events", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                return Problems.Invalid("events", "is required: an array of product events");
            }

            var count = items.GetArrayLength();
            if (count > IngestLimits.MaxBatchEvents)
            {
                return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Too many events in one batch",
                    $"A batch holds at most {IngestLimits.MaxBatchEvents} events; this one has {count}.");
            }

            if (count == 0)
            {
                return Problems.Invalid("events", $"must hold 1 to {IngestLimits.MaxBatchEvents} events");
            }

            var now = clock.GetUtcNow();
            results = new BatchItemResult[count];
            accepted = new List<ProductEventRecord>(count);
            acceptedIndexes = new List<int>(count);
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var record = ProductEventParser.Parse(item, app.AppId, now, out var errors);
                if (record is null)
                {
                    results[index] = new BatchItemResult(index, null, null, "rejected", errors);
                }
                else
                {
                    accepted.Add(record);
                    acceptedIndexes.Add(index);
                }

                index++;
            }
        }

        IngestMetrics.Count(app.AppId, IngestOutcome.Rejected, results.Length - accepted.Count);

        // The document went back to the pool before the wait for the commit: the records hold copies of what they need.
        if (accepted.Count > 0)
        {
            var (outcomes, failure) = await IngestSubmission.SubmitAsync(http, pipeline, options.Value, [.. accepted]);
            if (failure is not null)
            {
                return failure;
            }

            for (var i = 0; i < outcomes!.Length; i++)
            {
                var outcome = outcomes[i];
                results[acceptedIndexes[i]] = outcome.IsRefused
                    ? new BatchItemResult(acceptedIndexes[i], null, null, "rejected", new Dictionary<string, string[]> { ["body"] = [outcome.RefusedBecause!] })
                    : new BatchItemResult(acceptedIndexes[i], outcome.Id.ToString(), outcome.Number, outcome.IsDuplicate ? "duplicate" : "accepted", null);
            }
        }

        return TypedResults.Ok(new BatchRequestResults(results));
    }

    private static ProblemHttpResult AsProblem(IResult error) => error switch
    {
        ProblemHttpResult problem => problem,
        ValidationProblem validation => TypedResults.Problem(validation.ProblemDetails),
        _ => throw new InvalidOperationException("Unexpected body error."),
    };
}
