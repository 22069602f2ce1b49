using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

/// <summary>
/// <c>Api:PublicBaseUrl</c>: the absolute <c>next</c> links it makes, and the start-up refusing a value that is not an
/// absolute HTTP URL. Each test starts a host of its own.
/// </summary>
public sealed class PublicBaseUrlTests
{
    private const string Spoofed = "attacker.example";

    [Fact]
    public async Task NextLinksStartWithTheConfiguredPublicBaseUrl()
    {
        await using var host = await new TestHostBuilder()
            .WithSettings(Keys.Settings())
            .WithSetting("Api:PublicBaseUrl", "https://events.shop.example/")
            .StartAsync();
        using var http = host.CreateClient();
        var client = new ApiClient(http, Keys.AlphaSecret);
        var (productId, userId) = (Ids.Product(), Ids.User());
        await client.IngestBatchAsync(Enumerable.Range(0, 2).Select(i => Bodies.Event(productId, userId, "view", Bodies.At(i))));

        var page = await GetWithHostAsync(http, $"/api/v1/products/{productId}/events?limit=1", Spoofed);
        var userCom = await GetWithHostAsync(http, $"/api/public/products-by-id/{productId}/product_events/?page_size=1", Spoofed);

        Assert.StartsWith($"https://events.shop.example/api/v1/products/{productId}/events?", page["next"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith($"https://events.shop.example/api/public/products-by-id/{productId}/product_events/?", userCom["next"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("events.shop.example")]
    [InlineData("/api")]
    [InlineData("ftp://events.shop.example/")]
    public async Task StartupRefusesAPublicBaseUrlThatIsNotAnAbsoluteHttpUrl(string value)
    {
        await using var app = new TestHostBuilder().WithSettings(Keys.Settings()).WithSetting("Api:PublicBaseUrl", value).Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Api:PublicBaseUrl", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> GetWithHostAsync(HttpClient http, string pathOrUrl, string hostHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathOrUrl);
        request.Headers.Host = hostHeader;
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Keys.AlphaSecret);
        using var response = await http.SendAsync(request);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"GET {pathOrUrl}: {(int)response.StatusCode}: {json}");
        return json;
    }
}
