using Microsoft.AspNetCore.Http.Features;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// Ids in paths, decoded exactly. Routing leaves "%2F" undecoded in route values (and decodes "%25" to "%"), so an id
/// holding a slash would not read back; such ids are taken from the raw request target instead.
/// </summary>
internal static class PathIds
{
    /// <param name="index">The id's segment in the path: 4 in "/api/v1/products/{product_id}".</param>
    public static string Decode(HttpContext http, int index, string routeValue)
    {
        if (!routeValue.Contains('%', StringComparison.Ordinal) || http.Request.PathBase.HasValue)
        {
            return routeValue;
        }

        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return routeValue;
        }

        var path = target.Split('?', 2)[0];
        var segments = path.Split('/');
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : routeValue;
    }
}
