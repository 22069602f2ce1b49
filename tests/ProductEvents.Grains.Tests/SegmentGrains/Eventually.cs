using System.Diagnostics;

namespace ProductEvents.Grains.Tests.SegmentGrains;

/// <summary>Waits for what travels asynchronously (membership changes on streams) by polling with a deadline.</summary>
public static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var elapsed = Stopwatch.StartNew();
        var value = await probe();
        while (!done(value))
        {
            if (elapsed.Elapsed > Deadline)
            {
                throw new TimeoutException($"Timed out after {Deadline.TotalSeconds} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
            value = await probe();
        }

        return value;
    }
}
