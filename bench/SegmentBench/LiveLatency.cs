using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>
/// Row 1: 20 live segments under an open-loop background load; every probe interval a fresh contact sends one event
/// that makes it join the probe segment, and the time from its 202 to the member endpoint saying so is measured.
/// </summary>
public static class LiveLatency
{
    public static async Task RunAsync(BenchSettings settings, ResultFile results)
    {
        using var api = new Api(settings, settings.BackgroundClients);
        using var probeApi = new Api(settings, 1);

        var ids = new List<string>();
        // Without windows no contact arms a timer or a durable reminder: the difference shows what those cost.
        foreach (var (name, condition) in Segments.Live)
        {
            if (settings.LiveWithoutWindows && condition.Contains("\"within\"", StringComparison.Ordinal))
            {
                continue;
            }

            ids.Add(await api.CreateSegmentAsync(name, condition));
        }

        var probeSegment = await api.CreateSegmentAsync("probe", Segments.Probe);
        ids.Add(probeSegment);
        foreach (var id in ids)
        {
            if (!await api.WaitReadyAsync(id, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100)))
            {
                throw new InvalidOperationException($"segment {id} not ready after 120 s");
            }
        }

        results.Set("live_segments", ids.Count);
        results.Set("live_windows", settings.LiveWithoutWindows ? "none" : "yes");
        results.Set("live_rate_target", settings.BackgroundRate);
        results.Set("live_bg_batch", settings.BackgroundBatch);
        Log($"{ids.Count} segments ready; background {settings.BackgroundRate}/s in batches of {settings.BackgroundBatch}");

        var load = new BackgroundLoad(settings, api);
        using var stopLoad = new CancellationTokenSource();
        var loadTask = Task.Run(() => load.RunAsync(stopLoad.Token));

        var run = Guid.NewGuid().ToString("N")[..8];
        var warmup = new ProbeSet(settings, probeApi, probeSegment, $"warm-{run}");
        await warmup.RunAsync(TimeSpan.FromSeconds(settings.WarmupSeconds));

        var ackedBefore = load.AckedEvents;
        var clock = Stopwatch.StartNew();
        var probes = new ProbeSet(settings, probeApi, probeSegment, run);
        await probes.RunForAsync(TimeSpan.FromSeconds(settings.LiveSeconds), () => (clock.Elapsed, load.AckedEvents));
        var seconds = clock.Elapsed.TotalSeconds;
        var acked = load.AckedEvents - ackedBefore;
        await stopLoad.CancelAsync();
        await loadTask;

        Percentiles.Record(results, "live", probes.Latencies);
        Percentiles.Record(results, "live_ack", probes.AckLatencies);
        results.Set("live_probe_timeouts", probes.Timeouts);
        results.Set("live_probe_failures", probes.Failures);
        results.Set("live_seconds", seconds);
        results.Set("live_rate", acked / seconds);
        results.Set("live_bg_rejected", load.Rejected);
        results.Set("live_bg_rejected_by", load.RejectedByReason);
        results.Set("live_bg_errors", load.Errors);
        results.Set("live_bg_skipped", load.Skipped);

        // Leave an app with no segments, so the ingest and build rows measure the new segment alone.
        foreach (var id in ids)
        {
            await api.DeleteSegmentAsync(id);
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[segment-bench live] {message}");

    /// <summary>Probes started every interval, each on its own contact, measured from the 202 to <c>member: true</c>.</summary>
    private sealed class ProbeSet(BenchSettings settings, Api api, string segment, string run)
    {
        private int _number;
        private int _reported;

        /// <summary>In the order the probes became visible.</summary>
        public ConcurrentQueue<double> Latencies { get; } = [];

        public ConcurrentBag<double> AckLatencies { get; } = [];

        public int Timeouts;

        public int Failures;

        public Task RunAsync(TimeSpan duration) => RunForAsync(duration, null);

        public async Task RunForAsync(TimeSpan duration, Func<(TimeSpan Elapsed, long Acked)>? progress)
        {
            var probes = new List<Task>();
            var clock = Stopwatch.StartNew();
            var interval = TimeSpan.FromMilliseconds(settings.ProbeIntervalMs);
            var lastReport = TimeSpan.Zero;
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                probes.Add(ProbeAsync());
                var next = interval * (n + 1) - clock.Elapsed;
                if (next > TimeSpan.Zero)
                {
                    await Task.Delay(next);
                }

                if (progress is not null && clock.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
                {
                    lastReport = clock.Elapsed;
                    var (elapsed, acked) = progress();
                    var all = Latencies.ToList();
                    var sorted = all.Order().ToList();
                    var recent = all.Skip(_reported).Order().ToList();
                    _reported = all.Count;
                    Log($"{elapsed.TotalSeconds:0}s: {sorted.Count} probes, p50 {Percentiles.Of(sorted, 50):0.0} ms, p99 {Percentiles.Of(sorted, 99):0.0} ms " +
                        $"(the last {recent.Count}: p50 {Percentiles.Of(recent, 50):0.0} ms, p99 {Percentiles.Of(recent, 99):0.0} ms), background {acked} events acknowledged");
                }
            }

            await Task.WhenAll(probes);
        }

        private async Task ProbeAsync()
        {
            var user = $"probe-{run}-{Interlocked.Increment(ref _number)}";
            var body = new StringBuilder();
            body.Append($$"""{"product_id":"probe-product","event_type":"add to cart","user_id":"{{user}}","category":"{{Segments.ProbeCategory}}","price":1}""");
            try
            {
                var sent = Stopwatch.GetTimestamp();
                using (var response = await api.First.PostAsync("/api/v1/product-events", Api.Json(body.ToString())))
                {
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref Failures);
                        return;
                    }
                }

                var acknowledged = Stopwatch.GetTimestamp();
                AckLatencies.Add(Stopwatch.GetElapsedTime(sent, acknowledged).TotalMilliseconds);
                var path = $"/api/v1/segments/{segment}/members/{user}";
                var poll = TimeSpan.FromMilliseconds(settings.PollIntervalMs);
                while (Stopwatch.GetElapsedTime(acknowledged).TotalSeconds < settings.ProbeTimeoutSeconds)
                {
                    using var check = await api.First.GetAsync(path);
                    if (check.StatusCode == HttpStatusCode.OK)
                    {
                        using var document = JsonDocument.Parse(await check.Content.ReadAsStreamAsync());
                        if (document.RootElement.GetProperty("member").GetBoolean())
                        {
                            Latencies.Enqueue(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
                            return;
                        }
                    }

                    await Task.Delay(poll);
                }

                // A probe that never became visible counts as infinitely late, so the percentiles cannot hide it.
                Latencies.Enqueue(double.PositiveInfinity);
                Interlocked.Increment(ref Timeouts);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref Failures);
            }
        }
    }
}
