using System.Diagnostics;

namespace ProductEvents.Bench.Automations;

/// <summary>One monotonic clock for sending and receiving, so lateness is not skewed by wall-clock steps.</summary>
public static class Clock
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;
    private static readonly Stopwatch Elapsed = Stopwatch.StartNew();

    public static DateTimeOffset Now => Start + Elapsed.Elapsed;
}
