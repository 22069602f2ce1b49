using ProductEvents.Grains.Contacts;

namespace ProductEvents.Grains.Tests.Contacts;

[Trait("Category", "Unit")]
public sealed class WindowTimerDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ACheckDueNowOrPastFiresAtOnce(double days) =>
        Assert.Equal(TimeSpan.Zero, WindowTimerDelay.For(Now.AddDays(days), Now));

    [Fact]
    public void ACheckWithinAWeekWaitsForItsInstant() =>
        Assert.Equal(TimeSpan.FromHours(30), WindowTimerDelay.For(Now.AddHours(30), Now));

    [Theory]
    [InlineData(50)]
    [InlineData(3650)]
    public void ACheckBeyondWhatATimerCanWaitIsReconsideredAfterAWeek(double days)
    {
        var delay = WindowTimerDelay.For(Now.AddDays(days), Now);

        Assert.Equal(WindowTimerDelay.MaxWait, delay);
        using var timer = TimeProvider.System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.True(timer.Change(delay, Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.FromDays(days), Timeout.InfiniteTimeSpan));
    }
}
