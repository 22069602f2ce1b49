using System.Diagnostics;
using System.Net;
using System.Text;
using ProductEvents.Testing;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>Scraping <c>/metrics</c>, and waiting for a series to reach a value with a deadline.</summary>
public static class Metrics
{
    public const string Events = "productevents_ingest_events_total";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static async Task<PrometheusScrape> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return new PrometheusScrape(text);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the exporter may answer a cached scrape for a moment).</summary>
    public static async Task<PrometheusScrape> UntilAsync(HttpClient http, Func<PrometheusScrape, bool> done, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await ScrapeAsync(http);
            if (done(scrape))
            {
                return scrape;
            }

            if (watch.Elapsed > Deadline)
            {
                Assert.Fail($"Waited {Deadline.TotalSeconds:0} s for {what}. Series: {string.Join(", ", scrape.Names)}");
            }

            await Task.Delay(100);
        }
    }

    public static double Outcome(this PrometheusScrape scrape, string appId, string outcome) =>
        scrape.Sum(Events, ("app_id", appId), ("outcome", outcome));

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient http, string path, string json) =>
        await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static string Event(string productId, string userId, string type = "add to cart", string? eventId = null) =>
        $$"""{"product_id": "{{productId}}", "event_type": "{{type}}", "user_id": "{{userId}}"{{(eventId is null ? "" : $", \"event_id\": \"{eventId}\"")}}}""";
}
