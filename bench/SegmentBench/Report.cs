using System.Globalization;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>Turns a run's figures into the Markdown table, each figure next to its goal; phases not run are left out.</summary>
public static class Report
{
    public static void Write(ResultFile r, TextWriter output)
    {
        output.WriteLine("| # | what | measured | goal | met |");
        output.WriteLine("|---|---|---:|---|---|");
        if (r.Get("live_n") is not null)
        {
            Live(r, output);
        }

        if (r.Get("ingest_events") is not null)
        {
            Row(output, "2", $"ingest through the batch endpoint ({N(r.Number("ingest_events"))} events, {N(r.Number("ingest_clients"))} clients, 429s retried: {N(r.Number("ingest_throttled"))})",
                $"{N(r.Number("ingest_rate"))} events/s acknowledged, {N(r.Number("ingest_applied_rate"))}/s applied by the grains", "-", "-");
        }

        foreach (var (label, what) in new[] { ("warm", "build a new segment (silo that ingested the log)"), ("cold", "build a new segment after a silo restart (cold grains)") })
        {
            if (r.Get($"build_{label}_segment") is null)
            {
                continue;
            }

            var seconds = r.Number($"build_{label}_seconds");
            Row(output, "2", $"{what}: {N(r.Number($"build_{label}_members"))} members",
                seconds is { } s ? $"{s:0.0} s" : $"not ready ({r.Get($"build_{label}_timeout")})", "< 30 s", Met(seconds, v => v < 30));
        }

        if (r.Get("read_check_n") is not null)
        {
            Read(r, output);
        }
    }

    private static void Live(ResultFile r, TextWriter output)
    {
        var windows = r.Get("live_windows") == "none" ? ", none with a window" : "";
        Row(output, "1", $"live: ack → member visible, p50 ({N(r.Number("live_n"))} probes, {N(r.Number("live_segments"))} live segments{windows})", Ms(r.Number("live_p50_ms")), "-", "-");
        Row(output, "1", "live: ack → member visible, p99", Ms(r.Number("live_p99_ms")), "p99 < 100 ms", Met(r.Number("live_p99_ms"), v => v < 100));
        Row(output, "1", "live: ack → member visible, max", Ms(r.Number("live_max_ms")), "-", "-");
        Row(output, "1", "live: probes not visible in time / failed",
            $"{N(r.Number("live_probe_timeouts"))} / {N(r.Number("live_probe_failures"))}", "0", Met(r.Number("live_probe_timeouts"), v => v == 0));
        Row(output, "1", $"live: background events/s acknowledged (batches of {N(r.Number("live_bg_batch"))}; skipped {N(r.Number("live_bg_skipped"))} requests, rejected {N(r.Number("live_bg_rejected"))}{Reasons(r.Get("live_bg_rejected_by"))}, errors {N(r.Number("live_bg_errors"))})",
            N(r.Number("live_rate")), $"{N(r.Number("live_rate_target"))}/s", Met(r.Number("live_rate"), v => v >= 0.95 * (r.Number("live_rate_target") ?? 0)));
        Row(output, "1", "live: probe event's own POST → 202, p50 / p99",
            $"{Ms(r.Number("live_ack_p50_ms"))} / {Ms(r.Number("live_ack_p99_ms"))}", "-", "-");
    }

    private static string Reasons(string? reasons) => string.IsNullOrEmpty(reasons) ? "" : $" ({reasons})";

    private static void Read(ResultFile r, TextWriter output)
    {
        Row(output, "3", $"membership check, p50 / p99 / max ({N(r.Number("read_check_n"))} sequential, half members; wrong answers {N(r.Number("read_check_wrong"))})",
            $"{Ms(r.Number("read_check_p50_ms"))} / {Ms(r.Number("read_check_p99_ms"))} / {Ms(r.Number("read_check_max_ms"))}", "p99 < 5 ms", Met(r.Number("read_check_p99_ms"), v => v < 5));
        Row(output, "3", $"page of 1,000 members, p50 / p99 / max ({N(r.Number("read_page_n"))} pages, {N(r.Number("read_page_rows"))} rows)",
            $"{Ms(r.Number("read_page_p50_ms"))} / {Ms(r.Number("read_page_p99_ms"))} / {Ms(r.Number("read_page_max_ms"))}", "p99 < 50 ms", Met(r.Number("read_page_p99_ms"), v => v < 50));
    }

    private static void Row(TextWriter output, string row, string what, string measured, string goal, string met) =>
        output.WriteLine($"| {row} | {what} | {measured} | {goal} | {met} |");

    private static string Ms(double? value) => value switch
    {
        null => "-",
        double.PositiveInfinity => "timed out",
        { } v => v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms",
    };

    private static string N(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string Met(double? value, Func<double, bool> goal) => value is { } v ? (goal(v) ? "met" : "**not met**") : "-";
}
