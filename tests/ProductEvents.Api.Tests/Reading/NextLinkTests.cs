using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

/// <summary>The <c>next</c> and <c>previous</c> links of paged listings never echo the request's Host header.</summary>
public abstract class NextLinkTests(HostFixture host)
{
    private const string Spoofed = "attacker.example";

    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : NextLinkTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : NextLinkTests(host);

    [Fact]
    public async Task NextLinksIgnoreASpoofedHostHeaderAndAreRelative()
    {
        var (productId, userId) = (Ids.Product(), Ids.User());
        await host.Alpha.IngestBatchAsync(Enumerable.Range(0, 3).Select(i => Bodies.Event(productId, userId, "view", Bodies.At(i))));
        using var http = new HttpClient { BaseAddress = host.Address };

        foreach (var path in new[]
        {
            $"/api/v1/products/{productId}/events?limit=1",
            $"/api/v1/contacts/{userId}/product-events?limit=1",
            $"/api/v1/product-events?product_id={productId}&limit=1",
            $"/api/public/products-by-id/{productId}/product_events/?page_size=1",
        })
        {
            var page = await GetWithHostAsync(http, path, Spoofed);
            var next = page["next"]!.GetValue<string>();

            Assert.DoesNotContain(Spoofed, next, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("/api/", next, StringComparison.Ordinal);
            Assert.NotNull(await GetWithHostAsync(http, next, host.Address.Authority));
        }

        var second = await GetWithHostAsync(http, $"/api/public/products-by-id/{productId}/product_events/?page_size=1&page=2", Spoofed);
        Assert.StartsWith("/api/public/", second["previous"]!.GetValue<string>(), StringComparison.Ordinal);
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
