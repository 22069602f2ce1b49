using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.UserCom;

/// <summary>A path under /api/public/ that is not a route is told which routes there are.</summary>
[Collection(HostCollection.Name)]
public sealed class UserComRouteTests(HostFixture host)
{
    [Theory]
    [InlineData("GET", "/api/public/products/")]
    [InlineData("GET", "/api/public/users/1/")]
    [InlineData("GET", "/api/public/product_events/")]
    [InlineData("POST", "/api/public/users/1/product_event/")]
    [InlineData("GET", "/api/public/products-by-id/x/product_event/")]
    public async Task AnUnknownRouteIsA404NamingTheSupportedRoutes(string method, string path)
    {
        using var response = method == "GET" ? await host.Alpha.GetAsync(path) : await host.Alpha.PostJsonAsync(path, "{}");

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
        var routes = problem["routes"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
        Assert.Contains("POST /api/public/products/{id}/product_event/", routes);
        Assert.Contains("GET /api/public/users-by-id/{custom_id}/product_events/", routes);
        Assert.Equal(8, routes.Length);
        Assert.Contains("GET /api/public/products-by-id/{custom_id}/details/", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
