namespace ProductEvents.Api.Sdk;

/// <summary>
/// <c>GET /sdk.js</c>: the browser SDK. Cached by browsers for five minutes, then revalidated by ETag (304); sent
/// gzipped to clients that accept it.
/// </summary>
public static class SdkEndpoint
{
    public const string Path = "/sdk.js";
    public const string ContentType = "text/javascript; charset=utf-8";
    public const string CacheControl = "public, max-age=300";

    private static readonly Lazy<EmbeddedAsset> Sdk = new(() => EmbeddedAsset.Load("ProductEvents.Api.Sdk.sdk.js"));

    public static IEndpointRouteBuilder MapSdk(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, (HttpContext http) => Serve(http, Sdk.Value)).WithTags("Browser SDK").WithName("GetSdk").ExcludeFromDescription();
        return routes;
    }

    /// <summary>The gzipped size of the SDK as served, for the README.</summary>
    public static int GzippedBytes => Sdk.Value.Gzipped.Length;

    private static IResult Serve(HttpContext http, EmbeddedAsset asset) => asset.Serve(http, ContentType, CacheControl);
}
