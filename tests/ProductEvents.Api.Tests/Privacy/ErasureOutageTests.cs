using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary>While PostgreSQL is down, erasure and export answer 503 with Retry-After (never 500), and work again after.</summary>
public sealed class ErasureOutageTests
{
    [Fact]
    public async Task ErasureAndExportAnswer503WithRetryAfterWhilePostgresIsDown()
    {
        await using var host = await new TestHostBuilder().WithApp(PrivacyHost.Shop, PrivacyHost.ShopSecret).WithStorage(StorageMode.Postgres).StartAsync();
        var api = new ApiClient(host.CreateClient(), PrivacyHost.ShopSecret);
        var user = Ids.User();
        await api.IngestAsync(PrivacyHost.Event(Ids.Product(), "view", user));

        await host.Postgres.Server.StopAsync();
        foreach (var (method, path) in new[] { (HttpMethod.Delete, $"/api/v1/contacts/{user}"), (HttpMethod.Get, $"/api/v1/contacts/{user}/export"), (HttpMethod.Get, $"/api/v1/contacts/{user}/erasure") })
        {
            using var response = method == HttpMethod.Delete ? await api.DeleteAsync(path) : await api.GetAsync(path);
            await Http.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        await host.Postgres.Server.StartAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var response = await api.DeleteAsync($"/api/v1/contacts/{user}");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the erasure once PostgreSQL is back");
        Assert.Empty((await api.GetJsonAsync($"/api/v1/product-events?user_id={user}"))["results"]!.AsArray());
    }
}
