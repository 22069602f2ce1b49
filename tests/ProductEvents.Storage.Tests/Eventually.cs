using System.Diagnostics;

namespace ProductEvents.Storage.Tests;

/// <summary>Waits for a condition by polling, with a deadline instead of a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what} (last value: {value}).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
