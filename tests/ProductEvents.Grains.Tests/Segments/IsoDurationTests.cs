using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class IsoDurationTests
{
    [Theory]
    [InlineData("PT30M", 30 * 60)]
    [InlineData("P7D", 7 * 86_400)]
    [InlineData("P2W", 14 * 86_400)]
    [InlineData("PT1H30M", 5_400)]
    [InlineData("P1DT2H3M4S", 86_400 + 7_200 + 180 + 4)]
    [InlineData("PT45S", 45)]
    [InlineData("PT0.5S", 0.5)]
    [InlineData("PT1,5H", 5_400)]
    [InlineData("P1.5D", 129_600)]
    [InlineData("pt30m", 30 * 60)]
    [InlineData("P0D", 0)]
    public void ReadsFixedLengthDurations(string text, double seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("1D")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P1W1D")]
    [InlineData("P1WT1H")]
    [InlineData("PT1.5H30M")]
    [InlineData("P-1D")]
    [InlineData("P1D2D")]
    [InlineData("PT1M1H")]
    [InlineData("P 1D")]
    [InlineData("P1.D")]
    [InlineData("P9999999999999999D")]
    [InlineData("P99999999D")]
    [InlineData("7 days")]
    public void RefusesWhatIsNotAFixedLengthDuration(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var usesYearsOrMonths));
        Assert.False(usesYearsOrMonths);
    }

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P1Y2M3D")]
    [InlineData("P1MT1H")]
    public void RefusesYearsAndMonthsAndSaysSo(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var usesYearsOrMonths));
        Assert.True(usesYearsOrMonths);
    }

    [Fact]
    public void MinutesAfterTheTimeDesignatorAreNotMonths()
    {
        Assert.True(IsoDuration.TryParse("PT1M", out var value, out var usesYearsOrMonths));
        Assert.Equal(TimeSpan.FromMinutes(1), value);
        Assert.False(usesYearsOrMonths);
    }

    [Theory]
    [InlineData(7 * 86_400d, "P7D")]
    [InlineData(1_800d, "PT30M")]
    [InlineData(5_400d, "PT1H30M")]
    [InlineData(86_401d, "P1DT1S")]
    [InlineData(1.5d, "PT1.5S")]
    [InlineData(0d, "PT0S")]
    public void FormatsCanonically(double seconds, string expected)
    {
        Assert.Equal(expected, IsoDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(10_000_001L)]
    [InlineData(864_000_000_000L * 3650 + 12_345)]
    public void FormatReadsBackToTheSameTicks(long ticks)
    {
        Assert.True(IsoDuration.TryParse(IsoDuration.Format(TimeSpan.FromTicks(ticks)), out var value));
        Assert.Equal(ticks, value.Ticks);
    }
}
