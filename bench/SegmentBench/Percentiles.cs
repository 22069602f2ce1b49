namespace ProductEvents.Bench.SegmentBench;

/// <summary>Nearest-rank percentiles of a set of latencies in milliseconds.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Writes <c>{prefix}_n</c>, <c>_p50_ms</c>, <c>_p99_ms</c> and <c>_max_ms</c>.</summary>
    public static void Record(ResultFile results, string prefix, IEnumerable<double> latencies)
    {
        var sorted = latencies.Order().ToList();
        results.Set($"{prefix}_n", sorted.Count);
        results.Set($"{prefix}_p50_ms", Of(sorted, 50));
        results.Set($"{prefix}_p99_ms", Of(sorted, 99));
        results.Set($"{prefix}_max_ms", sorted.Count == 0 ? double.NaN : sorted[^1]);
    }
}
