namespace ProductEvents.Api.Endpoints;

public static class EventTypesApi
{
    private static readonly EventTypeResponse[] All =
        ProductEventTypes.All.Select(t => new EventTypeResponse((int)t, ProductEventTypes.Name(t))).ToArray();

    public static IEndpointRouteBuilder MapEventTypesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/event-types").WithTags("Event types").RequireAppKey(allowPublicKey: false)
            .MapGet("/", () => TypedResults.Ok(All)).WithName("ListEventTypes");
        return routes;
    }
}
