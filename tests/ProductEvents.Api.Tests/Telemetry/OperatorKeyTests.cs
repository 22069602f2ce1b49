using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>Outside Development, <c>/metrics</c> and <c>/dashboard</c> answer only the operator key. Each test starts a Production host.</summary>
public sealed class OperatorKeyTests
{
    private const string App = "operated";

    [Fact]
    public async Task OutsideDevelopmentMetricsAndDashboardNeedTheOperatorKey()
    {
        await using var app = await StartAsync(new() { ["ProductEvents:Operator:Key"] = TelemetryHost.OperatorKey, ["ProductEvents:Dashboard:Enabled"] = "true" });

        foreach (var path in new[] { "/metrics", "/dashboard/" })
        {
            foreach (var (key, scheme) in new[] { ((string?)null, "Token"), ("wrong-operator-key-0000", "Token"), (TelemetryHost.SecretKey(App), "Token") })
            {
                using var http = TelemetryHost.Client(app, key, scheme);
                using var refused = await http.GetAsync(path);
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path} with key {key}: {(int)refused.StatusCode}");
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }

            foreach (var scheme in new[] { "Token", "Bearer" })
            {
                using var http = TelemetryHost.Client(app, TelemetryHost.OperatorKey, scheme);
                using var served = await http.GetAsync(path);
                Assert.True(served.StatusCode == HttpStatusCode.OK, $"{path} with the operator key as {scheme}: {(int)served.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task OutsideDevelopmentWithoutAnOperatorKeyMetricsAndDashboardAreNotFound()
    {
        await using var app = await StartAsync(new() { ["ProductEvents:Dashboard:Enabled"] = "true" });
        using var http = TelemetryHost.Client(app, TelemetryHost.SecretKey(App));

        foreach (var path in new[] { "/metrics", "/dashboard/" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        using var health = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task AFullQueueCountsTheRefusedEventsOfTheApp()
    {
        await using var app = await StartAsync(new()
        {
            ["ProductEvents:Operator:Key"] = TelemetryHost.OperatorKey,
            ["ProductEvents:Ingest:QueueCapacity"] = "1",
        });
        using var api = TelemetryHost.Client(app, TelemetryHost.SecretKey(App));
        using var operatorHttp = TelemetryHost.Client(app, TelemetryHost.OperatorKey);

        var before = await Metrics.ScrapeAsync(operatorHttp);
        var events = string.Join(", ", Enumerable.Range(0, 3).Select(i => Metrics.Event($"p-{i}", "c")));
        using (var refused = await api.PostAsync("/api/v1/product-events/batch", $$"""{"events": [{{events}}]}"""))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        var after = await Metrics.UntilAsync(operatorHttp,
            s => s.Outcome(App, "refused_overload") >= before.Outcome(App, "refused_overload") + 3, "3 events refused for overload");
        Assert.Equal(before.Outcome(App, "refused_overload") + 3, after.Outcome(App, "refused_overload"));
        Assert.Equal(before.Outcome(App, "accepted"), after.Outcome(App, "accepted"));
    }

    [Fact]
    public async Task AShortOperatorKeyStopsTheStartNamingItsKey()
    {
        await using var app = TelemetryHost.Build("Production", App, new Dictionary<string, string?> { ["ProductEvents:Operator:Key"] = "short" });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ProductEvents:Operator:Key", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("ftp://collector")]
    public void ABadOtlpEndpointStopsTheBuildNamingItsKey(string endpoint)
    {
        var refused = Assert.Throws<OptionsValidationException>(() =>
            TelemetryHost.Build("Production", App, new Dictionary<string, string?> { ["OpenTelemetry:Otlp:Endpoint"] = endpoint }));

        Assert.Contains("OpenTelemetry:Otlp:Endpoint", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var app = TelemetryHost.Build("Production", App, settings);
        await app.StartAsync();
        return app;
    }
}
