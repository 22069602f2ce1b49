using System.Globalization;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>The knobs of a run, read from BENCH_SEG_* environment variables (see bench/README.md).</summary>
public sealed record BenchSettings(
    Uri BaseUrl,
    string Token,
    int Products,
    int Contacts,
    double BackgroundRate,
    int BackgroundBatch,
    int BackgroundClients,
    int MaxInFlight,
    double WarmupSeconds,
    double LiveSeconds,
    double ProbeIntervalMs,
    double PollIntervalMs,
    double ProbeTimeoutSeconds,
    long IngestEvents,
    int IngestBatch,
    int IngestClients,
    double IngestMaxSeconds,
    double BuildTimeoutSeconds,
    int ReadChecks,
    int ReadPages,
    bool LiveWithoutWindows)
{
    public static BenchSettings FromEnvironment(string url) => new(
        new Uri(url),
        Text("BENCH_SEG_TOKEN", "bench-secret"),
        (int)Number("BENCH_SEG_PRODUCTS", 10_000),
        (int)Number("BENCH_SEG_CONTACTS", 100_000),
        Number("BENCH_SEG_RATE", 5_000),
        (int)Number("BENCH_SEG_BG_BATCH", 100),
        (int)Number("BENCH_SEG_BG_CLIENTS", 4),
        (int)Number("BENCH_SEG_MAX_IN_FLIGHT", 256),
        Number("BENCH_SEG_WARMUP", 40),
        Number("BENCH_SEG_SECONDS", 30),
        Number("BENCH_SEG_PROBE_EVERY_MS", 50),
        Number("BENCH_SEG_POLL_MS", 1),
        Number("BENCH_SEG_PROBE_TIMEOUT", 30),
        (long)Number("BENCH_SEG_EVENTS", 1_000_000),
        (int)Number("BENCH_SEG_INGEST_BATCH", 1_000),
        (int)Number("BENCH_SEG_INGEST_CLIENTS", 4),
        Number("BENCH_SEG_INGEST_MAX_SECONDS", 900),
        Number("BENCH_SEG_BUILD_TIMEOUT", 600),
        (int)Number("BENCH_SEG_READ_CHECKS", 1_000),
        (int)Number("BENCH_SEG_READ_PAGES", 100),
        Number("BENCH_SEG_NO_WINDOWS", 0) != 0);

    private static string Text(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private static double Number(string name, double fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? double.Parse(value, CultureInfo.InvariantCulture)
            : fallback;
}
