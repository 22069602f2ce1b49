using System.Globalization;
using System.Text.Json;
using ProductEvents.Api.Ingest;

namespace ProductEvents.Api.Tests.Ingest;

[Trait("Category", "Unit")]
public sealed class TimestampParserTests
{
    [Theory]
    [InlineData("2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z")]
    [InlineData("2026-11-26T12:00:00+02:00", "2026-11-26T10:00:00Z")]
    [InlineData("2026-11-26T05:00:00-05:00", "2026-11-26T10:00:00Z")]
    [InlineData("2026-11-26T10:00:00", "2026-11-26T10:00:00Z")]
    [InlineData("2026-11-26T10:00:00.250Z", "2026-11-26T10:00:00.25Z")]
    [InlineData("2026-11-26", "2026-11-26T00:00:00Z")]
    [InlineData("0", "1970-01-01T00:00:00Z")]
    [InlineData("1795687200", "2026-11-26T10:00:00Z")]
    [InlineData("1795687200.25", "2026-11-26T10:00:00.25Z")]
    public void TextParsesAsIsoOrUnixSecondsInUtc(string text, string expected)
    {
        Assert.True(TimestampParser.TryParse(text, out var timestamp));
        Assert.Equal(Utc(expected), timestamp);
        Assert.Equal(TimeSpan.Zero, timestamp.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("now")]
    [InlineData("26.11.2026")]
    [InlineData("11/26/2026")]
    [InlineData("26-11-2026")]
    [InlineData("2026-02-30")]
    [InlineData("2026-11-26T25:00:00Z")]
    [InlineData("-1")]
    [InlineData("1e9")]
    [InlineData("253402300800")]
    public void BadTextIsRefused(string? text)
    {
        Assert.False(TimestampParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData("1795687200", "2026-11-26T10:00:00Z")]
    [InlineData("1795687200.5", "2026-11-26T10:00:00.5Z")]
    [InlineData("\"2026-11-26T10:00:00Z\"", "2026-11-26T10:00:00Z")]
    [InlineData("\"1795687200\"", "2026-11-26T10:00:00Z")]
    public void JsonNumbersAreUnixSecondsAndJsonStringsAreText(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.True(TimestampParser.TryParse(document.RootElement, out var timestamp));
        Assert.Equal(Utc(expected), timestamp);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1795687200]")]
    [InlineData("-1")]
    [InlineData("1e300")]
    public void OtherJsonIsRefused(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(TimestampParser.TryParse(document.RootElement, out _));
    }

    private static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
}
