using Microsoft.Extensions.Time.Testing;

namespace ProductEvents.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> for hosts whose Orleans runtime runs on it: its timers' callbacks run on the thread
/// pool, not inside <see cref="FakeTimeProvider.Advance"/>, and a periodic timer that the clock carries past many of
/// its periods ticks once, as a real timer does after the machine wakes from sleep.
/// </summary>
/// <remarks>
/// <para>
/// Orleans waits "until a time" in a loop of <c>Task.Delay(remaining, timeProvider)</c>. The fake clock's timers count
/// whole milliseconds, and <c>Task.Delay</c> completes at once for less than one, so when a wait's end lies a fraction
/// of a millisecond past a timer the loop never waits again and spins without end. Run inline, that spin held the
/// test's <c>Advance</c> call forever (the suite hung). Queued, it holds one pool thread only until the test's next
/// <c>Advance</c> carries the clock past the wait's end. Code that waits for a timer's effect must poll for it (the
/// tests do, with <see cref="Eventually"/>).
/// </para>
/// <para>
/// <see cref="FakeTimeProvider"/> fires a periodic timer once for every period the clock passes: a test that moves
/// the clock 59 days fires the app-key store's one-second poll timer five million times. Queued, those callbacks filled the
/// pool's queue with millions of items (measured: 2.8 million), and every other host in the test process waited
/// behind them until its HTTP calls and PostgreSQL opens timed out. So the provider's own timers are one-shot: a tick
/// queues the callback, and once the callback has run the next tick is armed at the first point of the timer's period
/// after the time the callback started (at once when the clock has passed it meanwhile). At most one tick per timer is
/// ever queued.
/// </para>
/// </remarks>
public sealed class PooledFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new CoalescingTimer(this, callback, state, dueTime, period);

    private ITimer CreateOneShot(TimerCallback callback, object? state) =>
        base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private sealed class CoalescingTimer : ITimer
    {
        private readonly PooledFakeTimeProvider clock;
        private readonly TimerCallback callback;
        private readonly object? state;
        private readonly ITimer inner;
        private readonly Lock gate = new();
        private TimeSpan period;
        private long generation;
        private bool disposed;

        public CoalescingTimer(PooledFakeTimeProvider clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            this.clock = clock;
            this.callback = callback;
            this.state = state;
            inner = clock.CreateOneShot(static self => ((CoalescingTimer)self!).Tick(), this);
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (gate)
            {
                if (disposed)
                {
                    return false;
                }

                this.period = period;
                Volatile.Write(ref generation, generation + 1);

                // A zero due time ticks inside this call, as the base timer does.
                return inner.Change(dueTime, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                disposed = true;
            }

            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        // Runs inside the clock's Advance (or inside Change, holding the gate), with the clock at the tick's time.
        private void Tick()
        {
            var tickGeneration = Volatile.Read(ref generation);
            var due = clock.GetUtcNow();
            ThreadPool.UnsafeQueueUserWorkItem(static work => work.Timer.Run(work.Due, work.Generation), (Timer: this, Due: due, Generation: tickGeneration), preferLocal: false);
        }

        private void Run(DateTimeOffset due, long tickGeneration)
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }
            }

            // The run stands for every point of the period up to the time it starts, however many the clock passed.
            var started = clock.GetUtcNow();
            callback(state);

            lock (gate)
            {
                // A Change since the tick armed the timer itself; a one-shot timer has nothing more to do.
                if (disposed || generation != tickGeneration || period <= TimeSpan.Zero)
                {
                    return;
                }

                var next = due + period * (Math.Floor((started - due) / period) + 1);
                var wait = next - clock.GetUtcNow();
                inner.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
