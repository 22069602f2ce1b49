using Microsoft.Extensions.Primitives;

namespace ProductEvents.Api.Cors;

/// <summary>
/// CORS per app for <c>/api</c>: a browser request from another origin is served only when the app its key names
/// allows that origin, and refused with 403 before it does anything otherwise (a beacon or a form post needs no
/// preflight, so hiding the answer from the page would not be enough). A preflight carries no key, so it is answered
/// for origins that some app allows. Requests without an Origin header, or from the API's own origin, pass as they are.
/// </summary>
public sealed class AppCorsMiddleware(RequestDelegate next, AppOrigins origins, AppKeyRegistry keys)
{
    private const string AllowedMethods = "GET, POST, OPTIONS";
    private const string AllowedHeaders = "Authorization, Content-Type";

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var origin = request.Headers.Origin.ToString();
        if (!request.Path.StartsWithSegments("/api") || origin.Length == 0 || IsSameOrigin(request, origin))
        {
            await next(http);
            return;
        }

        http.Response.Headers.Vary = "Origin";
        var isPreflight = HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");
        if (isPreflight)
        {
            if (!origins.AnyAppAllows(origin))
            {
                await RefuseAsync(http, origin);
                return;
            }

            Allow(http.Response, origin);
            http.Response.Headers.AccessControlAllowMethods = AllowedMethods;
            http.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
            http.Response.Headers.AccessControlMaxAge = "600";
            if (request.Headers.ContainsKey("Access-Control-Request-Private-Network"))
            {
                // A public shop page may reach an API on a private network (an intranet deployment) once it allows it.
                http.Response.Headers["Access-Control-Allow-Private-Network"] = "true";
            }

            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var app = keys.Resolve(request.Headers.Authorization) ?? BeaconKey.Resolve(keys, request);
        var allowed = app is null ? origins.AnyAppAllows(origin) : origins.Allows(app.AppId, origin);
        if (!allowed)
        {
            await RefuseAsync(http, origin);
            return;
        }

        // Without a known key the request will be answered 401; the page may read that answer.
        Allow(http.Response, origin);
        await next(http);
    }

    private static void Allow(HttpResponse response, string origin)
    {
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.AccessControlExposeHeaders = new StringValues("Retry-After");
    }

    private static Task RefuseAsync(HttpContext http, string origin) =>
        Problems.Status(
            StatusCodes.Status403Forbidden,
            "Origin not allowed",
            $"Browser requests from '{origin}' are not allowed for this app; add it to ProductEvents:Apps:<appId>:AllowedOrigins (a stored app: allowed_origins, PATCH /api/admin/apps/<appId>).")
            .ExecuteAsync(http);

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(AppOrigins.Normalize(origin), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
}
