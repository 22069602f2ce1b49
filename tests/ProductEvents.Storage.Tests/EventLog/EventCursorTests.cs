using ProductEvents.Grains.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.EventLog;

[Trait("Category", "Unit")]
public sealed class EventCursorTests
{
    [Fact]
    public void EncodedCursorDecodesToItself()
    {
        var cursor = new EventCursor(Events.T0.AddTicks(1_234_560), 42);

        Assert.True(EventCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("!!!!")]
    [InlineData("MTIzNA")]
    [InlineData("MS4yLjM")]
    [InlineData("YS5i")]
    public void TextThatIsNoCursorIsRefused(string? text)
    {
        Assert.False(EventCursor.TryDecode(text, out _));
    }

    [Fact]
    public void OverlongTextIsRefused()
    {
        Assert.False(EventCursor.TryDecode(new string('A', 65), out _));
    }

    [Fact]
    public void EntriesAfterTheCursorAreOlderOrEqualInTimeWithLowerPosition()
    {
        var cursor = new EventCursor(Events.T0, 10);

        Assert.True(cursor.IsBefore(Events.T0.AddTicks(-10), 99));
        Assert.True(cursor.IsBefore(Events.T0, 9));
        Assert.False(cursor.IsBefore(Events.T0, 10));
        Assert.False(cursor.IsBefore(Events.T0, 11));
        Assert.False(cursor.IsBefore(Events.T0.AddTicks(10), 1));
    }
}
