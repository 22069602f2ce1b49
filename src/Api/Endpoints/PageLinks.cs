using Microsoft.Extensions.DependencyInjection;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// The <c>next</c>/<c>previous</c> links of paged listings: relative (path and query) unless <c>Api:PublicBaseUrl</c>
/// is set. Never built from the request's scheme and Host header, which any client can set.
/// </summary>
public static class PageLinks
{
    public static string To(HttpRequest request, QueryString query)
    {
        var baseUrl = request.HttpContext.RequestServices.GetService<IOptions<ApiOptions>>()?.Value.PublicBaseUrl;
        return string.IsNullOrEmpty(baseUrl)
            ? request.PathBase.Add(request.Path).ToUriComponent() + query.ToUriComponent()
            : baseUrl.TrimEnd('/') + request.Path.ToUriComponent() + query.ToUriComponent();
    }
}
