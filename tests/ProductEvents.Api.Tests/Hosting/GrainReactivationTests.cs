using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary>
/// Grains are caches: once the silo has deactivated them (idle collection does this in a running service), the next
/// request must rebuild the same answer from the snapshot and the log. A host of its own, since every grain goes.
/// </summary>
public sealed class GrainReactivationTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private HttpClient _http = null!;

    [Fact]
    public async Task ProductAndContactAnswerTheSameAfterTheirGrainsWereDeactivated()
    {
        var client = new ApiClient(_http, Keys.AlphaSecret);
        var productId = Ids.Product();
        var userId = Ids.User();
        var body = Bodies.Event(productId, userId, "add to cart", Bodies.At(0));
        body["color"] = "red";
        await client.IngestAsync(body);
        await client.IngestAsync(Bodies.Event(productId, userId, "purchase", Bodies.At(5)));
        var product = await client.GetJsonAsync($"/api/v1/products/{productId}");
        var contact = await client.GetJsonAsync($"/api/v1/contacts/{userId}");

        await DeactivateAllGrainsAsync();

        Assert.True(JsonNode.DeepEquals(product, await client.GetJsonAsync($"/api/v1/products/{productId}")));
        Assert.True(JsonNode.DeepEquals(contact, await client.GetJsonAsync($"/api/v1/contacts/{userId}")));
    }

    [Fact]
    public async Task EventsAfterReactivationAddToTheRebuiltState()
    {
        var client = new ApiClient(_http, Keys.AlphaSecret);
        var productId = Ids.Product();
        var userId = Ids.User();
        await client.IngestAsync(Bodies.Event(productId, userId, "view", Bodies.At(0)));

        await DeactivateAllGrainsAsync();
        await client.IngestAsync(Bodies.Event(productId, userId, "view", Bodies.At(1)));

        Assert.Equal(2, (await client.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"]!["view"]!.GetValue<int>());
        var contact = await client.GetJsonAsync($"/api/v1/contacts/{userId}");
        Assert.Equal(2, contact["event_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnIdentifiedContactKeepsItsVisitorsHistoryWhenItsFirstOwnEventArrivesAfterDeactivation()
    {
        var client = new ApiClient(_http, Keys.AlphaSecret);
        var productId = Ids.Product();
        var userId = Ids.User();
        var visitor = "visitor-" + Guid.NewGuid().ToString("N");
        var anonymous = Bodies.Event(productId, userId, "add to cart", Bodies.At(0));
        anonymous.Remove("user_id");
        anonymous["user_key"] = visitor;
        await client.IngestAsync(anonymous);
        using (var identified = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/identify")
        {
            Headers = { { "Authorization", $"Token {Keys.AlphaSecret}" } },
            Content = new StringContent($$"""{"user_id": "{{userId}}", "user_key": "{{visitor}}"}"""),
        }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, identified.StatusCode);
        }

        // The contact has no entry of its own yet, only its merged visitor's: its first own event must not start it afresh.
        await DeactivateAllGrainsAsync();
        await client.IngestAsync(Bodies.Event(productId, userId, "purchase", Bodies.At(5)));

        var contact = await client.GetJsonAsync($"/api/v1/contacts/{userId}");
        Assert.Equal(2, contact["event_count"]!.GetValue<int>());
    }

    public async Task InitializeAsync()
    {
        _host = await new TestHostBuilder().WithSettings(Keys.Settings()).StartAsync();
        _http = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Deactivates the product and contact grains and waits until none is active.</summary>
    private async Task DeactivateAllGrainsAsync()
    {
        var management = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        await Eventually.ReturnsAsync(
            async () =>
            {
                await management.ForceActivationCollection(TimeSpan.Zero);
                var statistics = await management.GetSimpleGrainStatistics();
                return statistics
                    .Where(s => s.GrainType.Contains("ProductGrain", StringComparison.Ordinal) || s.GrainType.Contains("ContactGrain", StringComparison.Ordinal))
                    .Sum(s => s.ActivationCount);
            },
            active => active == 0,
            "every product and contact grain to be deactivated (the value is how many are still active)");
    }
}
