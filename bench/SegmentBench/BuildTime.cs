using System.Diagnostics;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>Row 2: a new segment over the filled log, from its creation to <c>status: ready</c>.</summary>
public static class BuildTime
{
    public static async Task RunAsync(BenchSettings settings, ResultFile results, string label)
    {
        using var api = new Api(settings, 1);
        var clock = Stopwatch.StartNew();
        var id = await api.CreateSegmentAsync($"build ({label})", Segments.Build);
        var lastLog = TimeSpan.Zero;
        var ready = await api.WaitReadyAsync(id, TimeSpan.FromSeconds(settings.BuildTimeoutSeconds), TimeSpan.FromMilliseconds(50), progress =>
        {
            if (clock.Elapsed - lastLog >= TimeSpan.FromSeconds(5))
            {
                lastLog = clock.Elapsed;
                Console.Error.WriteLine($"[segment-bench build {label}] {clock.Elapsed.TotalSeconds:0}s: progress {progress:0.000}");
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var count = await api.GetJsonAsync($"/api/v1/segments/{id}/count");
        results.Set($"build_{label}_segment", id);
        results.Set($"build_{label}_seconds", ready ? seconds : double.NaN);
        results.Set($"build_{label}_timeout", ready ? "no" : $"yes, not ready after {settings.BuildTimeoutSeconds:0} s");
        results.Set($"build_{label}_members", count.GetProperty("count").GetInt64());
    }
}
