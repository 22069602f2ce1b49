using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ProductEvents.Testing;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>
/// Per-app quotas (ProductEvents:Quotas): over its rate and burst an app is answered 429 with Retry-After and the
/// RateLimit headers, nothing of the request stored, while other apps go on; and one app's flood cannot take the whole
/// ingest queue.
/// </summary>
public sealed class QuotaTests : IAsyncLifetime
{
    private const string Limited = "quota-limited";
    private const string Free = "quota-free";
    private const string Flooder = "quota-flooder";
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await new TestHostBuilder()
            .WithApp(Limited, "limited-secret")
            .WithApp(Free, "free-secret")
            .WithApp(Flooder, "flooder-secret")
            .WithSetting("ProductEvents:Quotas:Apps:quota-limited:EventsPerSecond", "0.2")
            .WithSetting("ProductEvents:Quotas:Apps:quota-limited:Burst", "10")
            .WithSetting("ProductEvents:Ingest:QueueCapacity", "4000")

            // Each commit waits half a second for more events: the flood outpaces the commits however fast the
            // machine is (at most 2,000 of its events leave the queue per commit, 40,000 arrive), so its queue fills.
            .WithSetting("ProductEvents:Ingest:MaxBatchDelay", "00:00:00.500")
            .StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnAppOverItsQuotaGets429WithRateLimitHeadersNothingStoredWhileOtherAppsGoOn()
    {
        using var limited = _host.CreateClient("limited-secret");
        using var free = _host.CreateClient("free-secret");

        // The burst: 10 events at once.
        using (var burst = await limited.PostAsJsonAsync("/api/v1/product-events/batch", new { events = Enumerable.Range(0, 10).Select(i => Event($"burst-{i}")) }))
        {
            Assert.Equal(HttpStatusCode.OK, burst.StatusCode);
        }

        using var refused = await limited.PostAsJsonAsync("/api/v1/product-events", Event("over"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("\"events\";q=10;w=50", Assert.Single(refused.Headers.GetValues("RateLimit-Policy")));
        Assert.Matches("^\"events\";r=0;t=[1-9][0-9]*$", Assert.Single(refused.Headers.GetValues("RateLimit")));
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Quota exceeded", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("0.2 events per second", problem.RootElement.GetProperty("detail").GetString());
        }

        // Another app is not limited by it.
        for (var i = 0; i < 30; i++)
        {
            using var sent = await free.PostAsJsonAsync("/api/v1/product-events", Event($"free-{i}"));
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        // The refused event was not stored; once the bucket refills, the same event is taken.
        using var listed = await limited.GetFromJsonAsync<JsonDocument>("/api/v1/product-events?limit=100");
        Assert.Equal(10, listed!.RootElement.GetProperty("results").GetArrayLength());
        await Eventually.TrueAsync(async () =>
        {
            using var again = await limited.PostAsJsonAsync("/api/v1/product-events", Event("over"));
            return again.StatusCode == HttpStatusCode.Accepted;
        }, "the limited app's event taken after Retry-After");
    }

    [Fact]
    public async Task AfterARefusalTheAppIsRefusedAtTheDoorUntilItsRetryAfter()
    {
        using var limited = _host.CreateClient("limited-secret");
        using (var burst = await limited.PostAsJsonAsync("/api/v1/product-events/batch", new { events = Enumerable.Range(0, 10).Select(i => Event($"burst-{i}")) }))
        {
            Assert.Equal(HttpStatusCode.OK, burst.StatusCode);
        }

        // Ten more events fit after 50 s at 0.2 events/s: the writer refuses them with that Retry-After.
        using (var refused = await limited.PostAsJsonAsync("/api/v1/product-events/batch", new { events = Enumerable.Range(0, 10).Select(i => Event($"more-{i}")) }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(45), $"Retry-After {refused.Headers.RetryAfter}");
        }

        // One event alone would fit after 5 s, but the door holds the app to the Retry-After it was given.
        using var single = await limited.PostAsJsonAsync("/api/v1/product-events", Event("one"));
        Assert.Equal(HttpStatusCode.TooManyRequests, single.StatusCode);
        Assert.True(single.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(30), $"Retry-After {single.Headers.RetryAfter}");
        Assert.Matches("^\"events\";r=0;t=(3|4|5)[0-9]$", Assert.Single(single.Headers.GetValues("RateLimit")));

        // The door answers before the body is read: a body that is not even JSON gets the 429, not a 400, on every
        // ingest route (a flood that ignores Retry-After costs no parsing).
        foreach (var path in new[] { "/api/v1/product-events", "/api/v1/product-events/batch", "/api/public/products-by-id/p-1/product_event/" })
        {
            using var unread = await limited.PostAsync(path, new StringContent("{not json", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.TooManyRequests, unread.StatusCode);
            Assert.True(unread.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(30), $"{path}: Retry-After {unread.Headers.RetryAfter}");
            Assert.Equal("application/problem+json", unread.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task OneAppFloodingTheQueueLeavesRoomForAnother()
    {
        using var flooder = _host.CreateClient("flooder-secret");
        using var free = _host.CreateClient("free-secret");
        var flood = Enumerable.Range(0, 40).Select(async b =>
        {
            using var response = await flooder.PostAsJsonAsync("/api/v1/product-events/batch",
                new { events = Enumerable.Range(0, 1_000).Select(i => Event($"flood-{b}-{i}")) });
            return response.StatusCode;
        }).ToList();
        var steady = Enumerable.Range(0, 4).Select(async c =>
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                using var response = await free.PostAsJsonAsync("/api/v1/product-events", Event($"steady-{c}-{i}"));
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }).ToList();

        var flooded = await Task.WhenAll(flood);
        var answered = (await Task.WhenAll(steady)).SelectMany(s => s).ToList();

        // The flooding app holds at most half the queue (2,000 of 4,000 events): some of its batches are refused...
        Assert.Contains(HttpStatusCode.TooManyRequests, flooded);
        Assert.All(flooded, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"flood answered {s}"));

        // ...and the other app always finds room.
        Assert.All(answered, s => Assert.Equal(HttpStatusCode.Accepted, s));
    }

    private static Dictionary<string, object> Event(string productId) => new()
    {
        ["product_id"] = productId,
        ["user_id"] = "quota-user",
        ["event_type"] = "view",
    };
}
