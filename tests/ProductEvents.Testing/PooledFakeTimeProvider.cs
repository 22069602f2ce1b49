using Microsoft.Extensions.Time.Testing;

namespace ProductEvents.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> for hosts whose Orleans runtime runs on it: its timers' callbacks run on the thread
/// pool, not inside <see cref="FakeTimeProvider.Advance"/>.
/// </summary>
/// <remarks>
/// Orleans waits "until a time" in a loop of <c>Task.Delay(remaining, timeProvider)</c>. The fake clock's timers count
/// whole milliseconds, and <c>Task.Delay</c> completes at once for less than one, so when a wait's end lies a fraction
/// of a millisecond past a timer the loop never waits again and spins without end. Run inline, that spin held the
/// test's <c>Advance</c> call forever (the suite hung). Queued, it holds one pool thread only until the test's next
/// <c>Advance</c> carries the clock past the wait's end. Code that waits for a timer's effect must poll for it (the
/// tests do, with <see cref="Eventually"/>).
/// </remarks>
public sealed class PooledFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        base.CreateTimer(
            s => ThreadPool.UnsafeQueueUserWorkItem(static work => work.Callback(work.State), (Callback: callback, State: s), preferLocal: false),
            state,
            dueTime,
            period);
}
