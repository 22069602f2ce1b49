using System.Globalization;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>
/// The budget and mode, from the environment: <c>FUZZ_CASES</c> (cases in total over every endpoint, default 2,000),
/// <c>FUZZ_SEED</c> (a number; default fixed so a run is reproducible; <c>random</c> for a new one),
/// <c>FUZZ_SURVEY=1</c> (count failures by kind instead of stopping at the first), <c>FUZZ_SHRINK</c> (cases CsCheck
/// may try when shrinking a failure), <c>FUZZ_REPORT</c> (a file each test appends its summary to), <c>FUZZ_LANES</c>
/// (cases run at the same time, each lane on apps of its own; default 1, one case after another).
/// </summary>
public sealed record FuzzSettings(int TotalCases, ulong Seed, bool Survey, int ShrinkCases, string? ReportFile, int Lanes = 1)
{
    public const int MaxLanes = 64;

    public const int DefaultCases = 2_000;
    public const ulong DefaultSeed = 20_260_515;

    public static FuzzSettings FromEnvironment()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultCases;
        var seedText = Environment.GetEnvironmentVariable("FUZZ_SEED");
        var seed = seedText switch
        {
            null or "" => DefaultSeed,
            "random" => (ulong)Random.Shared.NextInt64(),
            _ => ulong.Parse(seedText, CultureInfo.InvariantCulture),
        };
        var shrink = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SHRINK"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 40;
        var lanes = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_LANES"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0
            ? Math.Min(l, MaxLanes)
            : 1;
        return new FuzzSettings(cases, seed, Environment.GetEnvironmentVariable("FUZZ_SURVEY") is "1" or "true", shrink,
            Environment.GetEnvironmentVariable("FUZZ_REPORT") is { Length: > 0 } report ? report : null, lanes);
    }

    /// <summary>This endpoint's share of the total, rounded up.</summary>
    public int CasesPerEndpoint(int endpoints) => (TotalCases + endpoints - 1) / endpoints;
}
