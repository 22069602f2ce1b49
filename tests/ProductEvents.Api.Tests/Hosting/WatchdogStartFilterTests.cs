using ProductEvents.Silo.Hosting;

namespace ProductEvents.Api.Tests.Hosting;

[Trait("Category", "Unit")]
public sealed class WatchdogStartFilterTests
{
    private const string Stalled = "Participant check thread has not completed for {TimeSinceLastTick}, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.";

    private static KeyValuePair<string, object?>[] State(string format, TimeSpan stalled) =>
        [new("TimeSinceLastTick", stalled), new("{OriginalFormat}", format)];

    [Fact]
    public void AStallLongerThanTheProcessHasLivedIsDropped() =>
        Assert.True(WatchdogStartFilter.IsImpossibleStall(State(Stalled, TimeSpan.FromMinutes(38)), processAge: TimeSpan.FromSeconds(3)));

    [Fact]
    public void APossibleStallIsKept() =>
        Assert.False(WatchdogStartFilter.IsImpossibleStall(State(Stalled, TimeSpan.FromSeconds(12)), processAge: TimeSpan.FromMinutes(5)));

    [Fact]
    public void OtherWatchdogWarningsAreKept() =>
        Assert.False(WatchdogStartFilter.IsImpossibleStall(
            State(".NET Runtime Platform stalled for {TimeSinceLastTick}.", TimeSpan.FromMinutes(38)), processAge: TimeSpan.FromSeconds(3)));

    [Fact]
    public void TheLoggerOfAnotherCategoryIsNotWrapped()
    {
        using var inner = new Microsoft.Extensions.Logging.LoggerFactory();
        using var factory = new WatchdogStartFilter(inner);
        Assert.Equal(inner.CreateLogger("Orleans.Runtime.Silo").GetType(), factory.CreateLogger("Orleans.Runtime.Silo").GetType());
        Assert.NotEqual(inner.CreateLogger("Orleans.Runtime.Watchdog").GetType(), factory.CreateLogger("Orleans.Runtime.Watchdog").GetType());
    }
}
