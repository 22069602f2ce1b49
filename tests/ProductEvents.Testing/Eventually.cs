using System.Diagnostics;

namespace ProductEvents.Testing;

/// <summary>
/// Awaits what happens asynchronously (a stream message, a reminder, a webhook, a commit) by polling a probe until a
/// deadline, never by sleeping a fixed time. A timeout names what was awaited and the last value seen.
/// </summary>
public static class Eventually
{
    /// <summary>Long enough for a busy two-core machine; a condition that holds returns as soon as it is seen.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>The pause between two probes: short, so a test waits little longer than the condition takes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Probes until <paramref name="done"/> holds for the value and answers that value.</summary>
    /// <param name="what">What is awaited, as the timeout's message will say it ("the contact to join").</param>
    /// <param name="within">The deadline; <see cref="DefaultDeadline"/> by default.</param>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = within ?? DefaultDeadline;
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (elapsed.Elapsed > deadline)
            {
                throw new TimeoutException($"Timed out after {deadline.TotalSeconds:0.#} s waiting for {what}; last value: {Describe(value)}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The same, with the deadline first (the order the storage tests write it in).</summary>
    public static Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string what) =>
        ReturnsAsync(probe, done, what, within);

    /// <summary>Probes until it answers something and answers that.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? within = null)
        where T : class =>
        (await ReturnsAsync(probe, value => value is not null, what, within))!;

    /// <summary>Probes until it answers true.</summary>
    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? within = null) =>
        ReturnsAsync(probe, done => done, what, within);

    /// <summary>Checks a condition on what the test observes (a received webhook, a captured log) until it holds.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        ReturnsAsync(() => Task.FromResult(condition()), done => done, what, within);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string or System.Text.Json.Nodes.JsonNode => value.ToString() ?? "",
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Take(10))}]",
        _ => value.ToString() ?? "",
    };
}
