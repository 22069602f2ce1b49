using System.Net;
using System.Text.Json.Nodes;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> of a real host after real requests: the main series are there with the right values. Orleans' and
/// ASP.NET Core's meters belong to each host, and a host of another test stopping in this process ends their series
/// here: MetricsScrapeTests (System.Tests) checks those against the silo as a process of its own.
/// </summary>
public sealed class MetricsTests(MetricsHostFixture host) : IClassFixture<MetricsHostFixture>
{
    private const string App = MetricsHostFixture.App;

    [Fact]
    public async Task IngestCountersGrowByExactlyTheEventsSentPerOutcome()
    {
        var before = await Metrics.ScrapeAsync(host.Api);
        var run = Guid.NewGuid().ToString("N");

        for (var i = 0; i < 3; i++)
        {
            using var accepted = await host.Api.PostAsync("/api/v1/product-events", Metrics.Event($"p-{run}-{i}", $"c-{run}", eventId: $"{run}-{i}"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using (var duplicate = await host.Api.PostAsync("/api/v1/product-events", Metrics.Event($"p-{run}-0", $"c-{run}", eventId: $"{run}-0")))
        {
            Assert.Equal(HttpStatusCode.Accepted, duplicate.StatusCode);
        }

        using (var invalid = await host.Api.PostAsync("/api/v1/product-events", """{"event_type": "view", "user_id": "x"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        var items = Enumerable.Range(0, 4).Select(i => Metrics.Event($"b-{run}-{i}", $"c-{run}")).Append("""{"product_id": "no-type"}""");
        using (var batch = await host.Api.PostAsync("/api/v1/product-events/batch", $$"""{"events": [{{string.Join(", ", items)}}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        }

        var after = await Metrics.UntilAsync(host.Api,
            s => s.Outcome(App, "accepted") >= before.Outcome(App, "accepted") + 7, "7 more accepted events of the app");

        Assert.Equal(before.Outcome(App, "accepted") + 7, after.Outcome(App, "accepted"));
        Assert.Equal(before.Outcome(App, "duplicate") + 1, after.Outcome(App, "duplicate"));
        Assert.Equal(before.Outcome(App, "rejected") + 2, after.Outcome(App, "rejected"));
        Assert.Equal(0, after.Outcome(App, "refused_overload"));
    }

    [Fact]
    public async Task ScrapeHoldsTheIngestAndRuntimeSeries()
    {
        var run = Guid.NewGuid().ToString("N");
        using (var response = await host.Api.PostAsync("/api/v1/product-events", Metrics.Event($"p-{run}", $"c-{run}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var app = ("app_id", App);
        var scrape = await Metrics.UntilAsync(host.Api,
            s => s.Sum("productevents_ingest_request_duration_seconds_count", app) > 0 && s.Sum("productevents_ingest_apply_lag_seconds_count") > 0,
            "the request duration and apply lag of the app's events");

        string[] present =
        [
            "productevents_ingest_request_duration_seconds_bucket",
            "productevents_ingest_commit_duration_seconds_bucket",
            "productevents_ingest_commit_events_bucket",
            "productevents_ingest_apply_lag_seconds_bucket",
            "productevents_ingest_queue_depth",
            "productevents_ingest_unapplied",
            "dotnet_gc_collections_total",
            "productevents_memory_budget_bytes",
            "productevents_memory_heap_limit_bytes",
        ];
        foreach (var name in present)
        {
            Assert.True(scrape.Has(name), $"{name} is not in the scrape: {string.Join(", ", scrape.Names)}");
        }

        Assert.True(scrape.Sum("productevents_ingest_commit_events_count") > 0);
    }

    [Fact]
    public async Task SegmentChangesShowTheirCountAndLatency()
    {
        var run = Guid.NewGuid().ToString("N");
        var definition = new JsonObject
        {
            ["name"] = $"carts {run}",
            ["condition"] = JsonNode.Parse("""{"event": {"types": ["add to cart"], "product": {"product_id": {"eq": "seg-RUN"}}}}""".Replace("RUN", run, StringComparison.Ordinal)),
        };
        string id;
        using (var created = await host.Api.PostAsync("/api/v1/segments", definition.ToJsonString()))
        {
            var body = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.Created, body);
            id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }

        // Ready: the build is done and the silo's definitions hold the segment, so the event's contact evaluates it.
        var app = ("app_id", App);
        var before = await Metrics.UntilAsync(host.Api, s => s.Sum("productevents_segment_builds_total", app) > 0, "the segment's build");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (JsonNode.Parse(await host.Api.GetStringAsync($"/api/v1/segments/{id}"))!["status"]!.GetValue<string>() != "ready")
        {
            Assert.True(DateTime.UtcNow < deadline, $"segment {id} is not ready");
            await Task.Delay(50);
        }

        using (var response = await host.Api.PostAsync("/api/v1/product-events", Metrics.Event($"seg-{run}", $"c-{run}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var after = await Metrics.UntilAsync(host.Api,
            s => s.Sum("productevents_segment_change_latency_seconds_count", app) > before.Sum("productevents_segment_change_latency_seconds_count", app),
            "the latency of the contact's membership change");

        Assert.True(after.Sum("productevents_segment_changes_total", app) > before.Sum("productevents_segment_changes_total", app));
    }

    [Fact]
    public async Task DashboardAnswersInDevelopmentWithoutAKey()
    {
        using var response = await host.Anonymous.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
