using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>
/// The silo as a process of its own in Production: its <c>/metrics</c> holds every meter's series (Orleans' and ASP.NET
/// Core's belong to the host, so only a process of their own shows them undisturbed), behind the operator key, and its
/// console writes JSON.
/// </summary>
public sealed class MetricsScrapeTests
{
    private const string OperatorKey = "system-operator-key-9a41";

    [Fact]
    public async Task ProductionSiloServesEveryMetricBehindTheOperatorKeyAndLogsJson()
    {
        await using var silo = SiloProcess.Embedded();
        silo.Environment["ProductEvents__Operator__Key"] = OperatorKey;
        silo.Environment["ProductEvents__Dashboard__Enabled"] = "true";
        await silo.StartAsync();
        using var api = silo.CreateClient();
        using var operatorHttp = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        operatorHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);

        using (var refused = await api.GetAsync("metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        for (var i = 0; i < 25; i++)
        {
            using var sent = await api.PostAsJsonAsync("api/v1/product-events", new { product_id = $"m-p{i % 5}", user_id = $"m-u{i % 7}", event_type = "view" });
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        // Answers follow the commit; the grains get the events just after.
        var scrape = await UntilAsync(operatorHttp, s =>
            s.Sum("productevents_ingest_events_total", ("app_id", SiloProcess.AppId), ("outcome", "accepted")) >= 25
            && s.Sum("productevents_ingest_apply_lag_seconds_count") > 0 && s.Sum("orleans_catalog_activations") >= 12);

        Assert.Equal(25, scrape.Sum("productevents_ingest_events_total", ("app_id", SiloProcess.AppId), ("outcome", "accepted")));
        Assert.True(scrape.Sum("orleans_catalog_activations") >= 12, "the 5 products and 7 contacts are activations");
        Assert.True(scrape.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/v1/product-events/")) >= 25,
            string.Join(", ", scrape.Names));
        foreach (var name in new[] { "productevents_ingest_commit_duration_seconds_bucket", "productevents_ingest_queue_depth", "productevents_ingest_apply_lag_seconds_bucket", "dotnet_gc_collections_total" })
        {
            Assert.True(scrape.Has(name), $"{name} is not in the scrape: {string.Join(", ", scrape.Names)}");
        }

        using (var dashboard = await operatorHttp.GetAsync("dashboard/"))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }

        // The start-up warning of the embedded mode, as one JSON object on its line.
        var warning = silo.Output().Split('\n').FirstOrDefault(line => line.Contains("EMBEDDED MODE", StringComparison.Ordinal));
        Assert.NotNull(warning);
        using var json = JsonDocument.Parse(warning);
        Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
    }

    private static async Task<PrometheusScrape> UntilAsync(HttpClient http, Func<PrometheusScrape, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var scrape = new PrometheusScrape(await response.Content.ReadAsStringAsync());
            if (done(scrape) || watch.Elapsed > TimeSpan.FromSeconds(15))
            {
                return scrape;
            }

            await Task.Delay(100);
        }
    }
}
