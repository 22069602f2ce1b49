using System.Text;
using ProductEvents.Api.Sdk;

namespace ProductEvents.Api.Demo;

/// <summary>
/// The demo shop at <c>/demo/</c> and its read-only panel endpoints <c>/demo/api/…</c>. Mapped only in the
/// Development environment: the panel reads the demo app's products and contacts without a key, and the page holds
/// only the app's public key.
/// </summary>
public static class DemoShop
{
    private static readonly Lazy<EmbeddedAsset> Page = new(() => EmbeddedAsset.Load("ProductEvents.Api.Demo.index.html"));

    public static IEndpointRouteBuilder MapDemoShop(this IEndpointRouteBuilder routes)
    {
        var demo = routes.MapGroup("/demo").WithTags("Demo (Development only)").ExcludeFromDescription();
        demo.MapGet("/", GetPage);
        demo.MapGet("/api/products/{product_id}", GetProductAsync);
        demo.MapGet("/api/contact", GetContactAsync);
        demo.MapDemoSegments();
        return routes;
    }

    public static Results<ContentHttpResult, RedirectHttpResult, ProblemHttpResult> GetPage(
        HttpContext http, IOptions<DemoOptions> demo, IOptions<AppsOptions> apps)
    {
        if (!http.Request.Path.Value!.EndsWith('/'))
        {
            // The page's relative links need the trailing slash; routing matches /demo and /demo/ alike.
            return TypedResults.Redirect(http.Request.PathBase + "/demo/");
        }

        if (!apps.Value.Apps.TryGetValue(demo.Value.AppId, out var app) || string.IsNullOrEmpty(app.PublicKey))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Demo app not configured",
                $"The demo shop sends to app '{demo.Value.AppId}' (ProductEvents:Demo:AppId), which needs a PublicKey.");
        }

        var html = Encoding.UTF8.GetString(Page.Value.Content).Replace("__PUBLIC_KEY__", JavaScriptString(app.PublicKey), StringComparison.Ordinal);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> GetProductAsync(
        IGrainFactory grains, IngestPipeline pipeline, IOptions<DemoOptions> demo, string product_id)
    {
        await pipeline.WhenAppliedAsync();
        var product = await grains.GetGrain<IProductGrain>(GrainKeys.Product(demo.Value.AppId, product_id)).GetAsync();
        return product is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Product not found", $"No event has created product '{product_id}'.")
            : TypedResults.Ok(ProductResponse.From(product));
    }

    public static async Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> GetContactAsync(
        IGrainFactory grains, IngestPipeline pipeline, IOptions<DemoOptions> demo, string? user_id, string? user_key)
    {
        await pipeline.WhenAppliedAsync();
        if (string.IsNullOrEmpty(user_id) == string.IsNullOrEmpty(user_key))
        {
            return Problems.Invalid("user_id", "give user_id or user_key, one of them");
        }

        var contact = string.IsNullOrEmpty(user_id) ? ContactRef.Visitor(user_key!) : ContactRef.User(user_id);
        var snapshot = await grains.GetGrain<IContactGrain>(GrainKeys.Contact(demo.Value.AppId, contact)).GetAsync();
        return snapshot is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Contact not found", "This contact has no event yet.")
            : TypedResults.Ok(ContactResponse.From(snapshot));
    }

    private static string JavaScriptString(string value) =>
        System.Text.Json.JsonSerializer.Serialize(value)[1..^1].Replace("<", "\\u003c", StringComparison.Ordinal).Replace("'", "\\u0027", StringComparison.Ordinal);
}
