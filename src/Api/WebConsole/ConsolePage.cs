using System.Collections.Frozen;
using ProductEvents.Api.Sdk;

namespace ProductEvents.Api.WebConsole;

/// <summary>
/// The web console at <c>/console/</c>: static files built into this assembly (its own HTML, CSS and ES modules and the
/// charting library installed by npm at build time). The files need no key; every data call the page makes carries the
/// app key the user signed in with, kept in the tab's sessionStorage. Served with a strict Content-Security-Policy:
/// scripts, styles and data from this origin only, no inline script.
/// </summary>
public static class ConsolePage
{
    public const string Path = "/console";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // Revalidated on every load (ETag), so a new build's modules never mix with an old one's.
    private const string CacheControl = "no-cache";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    private const string ResourcePrefix = "ProductEvents.Api.WebConsole.";

    private static readonly Lazy<FrozenDictionary<string, EmbeddedAsset>> Files = new(() =>
        typeof(ConsolePage).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[ResourcePrefix.Length..], EmbeddedAsset.Load, StringComparer.Ordinal));

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        var console = routes.MapGroup(Path).WithTags("Console").ExcludeFromDescription();
        console.MapGet("/", (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
            ? Serve(http, "index.html")
            : TypedResults.Redirect(http.Request.PathBase + Path + "/"));
        console.MapGet("/{file}", Serve);
        return routes;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Files.Value.TryGetValue(file, out var asset) && ContentTypes.TryGetValue(System.IO.Path.GetExtension(file), out var contentType)
            ? asset.Serve(http, contentType, CacheControl)
            : Problems.Status(StatusCodes.Status404NotFound, "Not found", $"The console has no file '{file}'.");
    }
}
