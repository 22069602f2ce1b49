namespace ProductEvents.Automations.Tests.Logic;

[Trait("Category", "Unit")]
public sealed class PooledFakeTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Waits until <paramref name="due"/> as Orleans does: a delay of what remains, again until it is reached, its
    /// continuations running on whatever thread completed the delay.
    /// </summary>
    private static async Task WaitUntilAsync(TimeProvider clock, DateTimeOffset due, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = due - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(remaining, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    [Fact]
    public async Task AWaitEndingBetweenMillisecondsNeitherHoldsAdvanceNorOutlivesTheNextAdvance()
    {
        var clock = new PooledFakeTimeProvider(Start);
        using var stop = new CancellationTokenSource();
        var waiting = WaitUntilAsync(clock, Start + TimeSpan.FromTicks(15_000), stop.Token);   // 1.5 ms

        // The timer fires at 1 ms; 0.5 ms remain, which Task.Delay cannot wait: the loop spins until time moves.
        // A plain FakeTimeProvider runs that spin inside this call, which then never returns.
        var advanced = Task.Run(() => clock.Advance(TimeSpan.FromMilliseconds(1)));
        await advanced.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task APeriodicTimerTicksOnceForAJumpOfManyPeriodsAndThenOncePerPeriodAgain()
    {
        var clock = new PooledFakeTimeProvider(Start);
        var ticks = 0;
        var ticked = new SemaphoreSlim(0);
        using var timer = clock.CreateTimer(_ =>
        {
            Interlocked.Increment(ref ticks);
            ticked.Release();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        // 59 days are five million periods. A plain FakeTimeProvider fires (and here would queue) every one of them.
        clock.Advance(TimeSpan.FromDays(59));
        Assert.True(await ticked.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(await ticked.WaitAsync(TimeSpan.FromMilliseconds(200)), $"{Volatile.Read(ref ticks)} ticks for one jump");

        // The period's next point lies one second ahead: it ticks there, and not before.
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(await ticked.WaitAsync(TimeSpan.FromMilliseconds(200)));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await ticked.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, Volatile.Read(ref ticks));
    }
}
