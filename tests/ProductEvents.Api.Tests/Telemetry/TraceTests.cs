using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using ProductEvents.Testing;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>With an OTLP endpoint set, one trace runs from the HTTP request through its commit to the grains.</summary>
public sealed class TraceTests
{
    private const string App = "traced";

    [Fact]
    public async Task ARequestsTraceReachesItsCommitTheApplyAndTheGrainCalls()
    {
        var ended = new ConcurrentQueue<Activity>();
        var nowhere = $"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}";
        await using var app = TelemetryHost.Build("Development", App, new Dictionary<string, string?> { ["OpenTelemetry:Otlp:Endpoint"] = nowhere },
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new Collect(ended))));
        await app.StartAsync();
        using var api = TelemetryHost.Client(app, TelemetryHost.SecretKey(App));

        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/product-events")
        {
            Content = new StringContent(Metrics.Event("traced-product", "traced-contact"), System.Text.Encoding.UTF8, "application/json"),
        };

        // The client sends the current activity's trace in traceparent.
        using (new Activity("client").SetParentId(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        using (var response = await api.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var commit = await UntilAsync(ended, a => a.DisplayName == "ingest commit" && a.Links.Any(l => l.Context.TraceId == trace), "the commit linked to the request");
        var apply = await UntilAsync(ended, a => a.DisplayName == "ingest apply" && a.ParentSpanId == commit.SpanId, "the apply step under the commit");
        var grainCall = await UntilAsync(ended, a => a.TraceId == apply.TraceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && a.DisplayName.Contains("ApplyAsync", StringComparison.Ordinal), "a grain's ApplyAsync in the apply's trace");

        Assert.Equal(commit.TraceId, apply.TraceId);
        Assert.Contains(ended, a => a.TraceId == trace && a.Kind == ActivityKind.Server);
        Assert.NotNull(grainCall);
    }

    private static async Task<Activity> UntilAsync(ConcurrentQueue<Activity> ended, Func<Activity, bool> match, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (ended.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No activity for {what}. Ended: {string.Join(", ", ended.Where(a => !a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).Select(a => $"{a.Source.Name}/{a.DisplayName} {a.TraceId}/{a.ParentSpanId} [{string.Join(" ", a.Links.Select(l => l.Context.TraceId))}]").Distinct().Take(40))}");
        return null!;
    }

    private sealed class Collect(ConcurrentQueue<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => ended.Enqueue(data);
    }
}
