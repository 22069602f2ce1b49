using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Hosting;

[Collection(HostCollection.Name)]
public sealed class HealthAndDocsTests(HostFixture host)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswerHealthy(string path)
    {
        using var response = await host.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheApi()
    {
        using var response = await host.Anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await Http.ReadJsonAsync(response);
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[]
        {
            "/api/v1/product-events", "/api/v1/product-events/batch", "/api/v1/products/{product_id}",
            "/api/v1/products/{product_id}/events", "/api/v1/contacts/{user_id}", "/api/v1/contacts/{user_id}/product-events",
            "/api/v1/event-types",
        })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is not in {string.Join(", ", paths.Select(p => p.Key))}");
        }

        var productEvents = paths["/api/v1/product-events"]!.AsObject();
        Assert.True(productEvents.ContainsKey("post"));
        Assert.True(productEvents.ContainsKey("get"));
    }

    [Fact]
    public async Task ApiReferencePageIsServed()
    {
        using var response = await host.Anonymous.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ProductEvents API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPathIsNotFound()
    {
        using var response = await host.Alpha.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
