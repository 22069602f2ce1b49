using ProductEvents.Storage.Numbers;

namespace ProductEvents.Api.Endpoints;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        var products = routes.MapGroup("/api/v1/products").WithTags("Products").RequireAppKey(allowPublicKey: false);
        products.MapGet("/{product_id}", GetProductAsync).WithName("GetProduct");
        products.MapGet("/{product_id}/events", (HttpContext http, IEventLog log, string product_id) =>
            EventListing.ListAsync(http, log, productId: PathIds.Decode(http, 4, product_id), userId: null)).WithName("ListProductEventsOfProduct");
        return routes;
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> GetProductAsync(
        HttpContext http, IGrainFactory grains, IngestPipeline pipeline, IEntityNumbers numbers, string product_id)
    {
        var app = AppKeyFilter.Current(http);
        await pipeline.WhenAppliedAsync();
        product_id = PathIds.Decode(http, 4, product_id);
        var product = await grains.GetKeyedGrain<IProductGrain>(GrainKeys.Product(app.AppId, product_id)).GetAsync();
        if (product is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Product not found", $"No event has created product '{product_id}' in this app.");
        }

        var id = await numbers.GetOrAssignAsync(app.AppId, [NumberedKey.Product(product_id)], http.RequestAborted);
        return TypedResults.Ok(ProductResponse.From(product, id[0]));
    }
}
