using ProductEvents.Abstractions.Automations;
using ProductEvents.Api.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Endpoints;

/// <summary>The webhook outbox: deliveries by status (dead letters included) and the retry of a dead letter. Secret key only.</summary>
public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder routes)
    {
        var deliveries = routes.MapGroup("/api/v1/deliveries").WithTags("Deliveries").RequireAppKey(allowPublicKey: false);
        deliveries.MapGet("/", ListAsync).WithName("ListDeliveries").WithSummary("List the webhook deliveries of the app");
        deliveries.MapGet("/{id}", GetAsync).WithName("GetDelivery").WithSummary("Get a webhook delivery");
        deliveries.MapPost("/{id}/retry", RetryAsync).WithName("RetryDelivery").WithSummary("Retry a dead delivery");
        return routes;
    }

    public static async Task<Results<Ok<DeliveryListResponse>, ValidationProblem>> ListAsync(HttpContext http, IDeliveryOutbox outbox, [AsParameters] DeliveriesQuery query)
    {
        DeliveryStatus? status = null;
        if (query.Status is { } statusText)
        {
            if (!StatusNames.TryParseDelivery(statusText, out var parsed))
            {
                return Problems.Invalid("status", "must be one of: pending, delivered, failed, dead");
            }

            status = parsed;
        }

        if (!PageLimit.TryRead(query.Limit, out var limit))
        {
            return PageLimit.Invalid();
        }

        var found = await outbox.ListAsync(AppKeyFilter.Current(http).AppId, status, query.CampaignId, query.Cursor, limit + 1);
        var next = found.Count > limit ? EventListing.NextUrl(http.Request, found[limit - 1].Id) : null;
        return TypedResults.Ok(new DeliveryListResponse([.. found.Take(limit).Select(DeliveryResponse.From)], next));
    }

    public static async Task<Results<Ok<DeliveryResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IDeliveryOutbox outbox, string id) =>
        await outbox.GetAsync(AppKeyFilter.Current(http).AppId, id) is { } d ? TypedResults.Ok(DeliveryResponse.From(d)) : NotFound(id);

    public static async Task<Results<Ok<DeliveryResponse>, ProblemHttpResult>> RetryAsync(HttpContext http, IDeliveryOutbox outbox, TimeProvider clock, string id)
    {
        var appId = AppKeyFilter.Current(http).AppId;
        if (await outbox.GetAsync(appId, id) is not { } delivery)
        {
            return NotFound(id);
        }

        if (!await outbox.RetryAsync(appId, id, clock.GetUtcNow()))
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Not a dead letter",
                $"Delivery '{id}' is {StatusNames.Of(delivery.Status)}; only a dead delivery can be retried.");
        }

        return TypedResults.Ok(DeliveryResponse.From((await outbox.GetAsync(appId, id))!));
    }

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "Delivery not found", $"No delivery '{id}' in this app.");
}
