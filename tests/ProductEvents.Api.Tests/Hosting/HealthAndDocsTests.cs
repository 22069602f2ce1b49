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
    public async Task OpenApiDocumentDescribesAutomationsCampaignsAndDeliveries()
    {
        using var response = await host.Anonymous.GetAsync("/openapi/v1.json");

        var document = await Http.ReadJsonAsync(response);
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var schema in new[]
        {
            "AutomationResponse", "AutomationRunListResponse", "AutomationRunResponse", "RunTriggerResponse",
            "ActionResponse", "WebhookResponse", "CampaignResponse", "CampaignListResponse", "CampaignDeliveriesResponse",
            "DeliveryResponse", "DeliveryListResponse", "AutomationRequest", "CampaignRequest",
        })
        {
            Assert.True(schemas.ContainsKey(schema), $"{schema} is not in {string.Join(", ", schemas.Select(s => s.Key))}");
        }

        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/v1/automations", StringComparison.Ordinal)
                || p.Key.StartsWith("/api/v1/campaigns", StringComparison.Ordinal)
                || p.Key.StartsWith("/api/v1/deliveries", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete").Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value!)))
            .ToList();
        Assert.Equal(13, operations.Count);
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Name} has no summary"));
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
    public async Task TheRootRedirectsToTheReferencePage()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Address };
        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/docs", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheReferenceOpensWithAnIntroduction()
    {
        using var response = await host.Anonymous.GetAsync("/openapi/v1.json");

        var info = (await Http.ReadJsonAsync(response))["info"]!;
        Assert.Equal("ProductEvents API", info["title"]!.GetValue<string>());
        var description = info["description"]!.GetValue<string>();
        Assert.Contains("Authorization", description, StringComparison.Ordinal);
        Assert.Contains("/api/v1/product-events", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPathIsNotFound()
    {
        using var response = await host.Alpha.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
