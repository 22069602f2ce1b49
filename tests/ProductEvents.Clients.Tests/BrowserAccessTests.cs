using System.Net;
using ProductEvents.Clients.Tests.Hosting;

namespace ProductEvents.Clients.Tests;

/// <summary>CORS per app, the beacon's key parameter and the SDK file, as a browser meets them.</summary>
[Collection(HostCollection.Name)]
public sealed class BrowserAccessTests(RunningHost host)
{
    private static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "api/v1/product-events/batch")
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "authorization,content-type" } },
    };

    private static HttpRequestMessage Beacon(string url, string origin, string body) => new(HttpMethod.Post, url)
    {
        Headers = { { "Origin", origin } },
        Content = Json.Body(body, "text/plain"),
    };

    [Fact]
    public async Task PreflightIsAnsweredOnlyForAnOriginThatAnAppAllows()
    {
        using var client = host.Client(null);
        using var allowed = await client.SendAsync(Preflight(RunningHost.ShopOrigin));
        using var refused = await client.SendAsync(Preflight("http://elsewhere.test"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(RunningHost.ShopOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task BeaconWithThePublicKeyInTheQueryIsStoredForAnAllowedOrigin()
    {
        var sku = $"beacon-{Guid.NewGuid():N}";
        using var client = host.Client(null);
        using var response = await client.SendAsync(Beacon("api/v1/product-events/batch?key=shop-public", RunningHost.ShopOrigin,
            $$"""{"events": [{"product_id": "{{sku}}", "event_type": "view", "user_key": "visitor-b"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RunningHost.ShopOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("Retry-After", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
        var listed = await host.Client("shop-secret").GetJsonAsync($"api/v1/products/{sku}/events");
        Assert.Equal("visitor-b", listed["results"]![0]!["user_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestFromAnOriginTheAppDoesNotAllowIsRefusedAndStoresNothing()
    {
        var sku = $"foreign-{Guid.NewGuid():N}";
        using var client = host.Client(null);
        using var response = await client.SendAsync(Beacon("api/v1/product-events/batch?key=shop-public", RunningHost.OtherOrigin,
            $$"""{"events": [{"product_id": "{{sku}}", "event_type": "view", "user_key": "visitor-f"}]}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var product = await host.Client("shop-secret").GetAsync($"api/v1/products/{sku}");
        Assert.Equal(HttpStatusCode.NotFound, product.StatusCode);
    }

    [Fact]
    public async Task ServerRequestsWithoutAnOriginAreNotAffected()
    {
        using var response = await host.Client("shop-secret").GetAsync("api/v1/event-types");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task TheQueryKeyIsTakenOnlyAsAPublicKeyAndOnlyForIngest()
    {
        using var client = host.Client(null);
        using var secretInQuery = await client.PostAsync("api/v1/product-events?key=shop-secret",
            Json.Body("""{"product_id": "q", "event_type": "view", "user_key": "v"}""", "text/plain"));
        using var readWithQueryKey = await client.GetAsync("api/v1/product-events?key=shop-public");
        using var single = await client.PostAsync("api/v1/product-events?key=shop-public",
            Json.Body("""{"product_id": "q", "event_type": "view", "user_key": "v"}""", "text/plain"));

        Assert.Equal(HttpStatusCode.Unauthorized, secretInQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, readWithQueryKey.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
    }

    [Fact]
    public async Task SdkIsServedAsJavaScriptWithCachingAndRevalidation()
    {
        using var client = host.Client(null);
        using var response = await client.GetAsync("sdk.js");
        var script = await response.Content.ReadAsStringAsync();
        using var revalidated = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "sdk.js")
        {
            Headers = { { "If-None-Match", response.Headers.ETag!.Tag } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("max-age=300", response.Headers.CacheControl!.ToString());
        Assert.Contains("userengage", script);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }
}
