using System.Text.Json;
using ProductEvents.Api.Json;

namespace ProductEvents.Api.Tests.Json;

[Trait("Category", "Unit")]
public sealed class JsonStringsTests
{
    [Fact]
    public void TheSameShortTextIsOneStringAcrossDocuments()
    {
        using var first = JsonDocument.Parse("""{"color":"red-pooled","price":19.90}""");
        using var second = JsonDocument.Parse("""{"color":"red-pooled","price":19.90}""");

        var firstColor = first.RootElement.EnumerateObject().First();
        var secondColor = second.RootElement.EnumerateObject().First();
        Assert.Same(JsonStrings.Name(firstColor), JsonStrings.Name(secondColor));
        Assert.Same(JsonStrings.ValueText(firstColor.Value), JsonStrings.ValueText(secondColor.Value));
        Assert.Same(JsonStrings.ValueText(first.RootElement.GetProperty("price")), JsonStrings.ValueText(second.RootElement.GetProperty("price")));
    }

    [Theory]
    [InlineData("""{"k":"plain"}""", "k", "plain")]
    [InlineData("""{"k":"say \"hi\""}""", "k", "say \"hi\"")]
    [InlineData("""{"k\u00e9":"caf\u00e9"}""", "k\u00e9", "caf\u00e9")]
    [InlineData("""{"k":"größe"}""", "k", "größe")]
    [InlineData("""{"k":""}""", "k", "")]
    [InlineData("""{"k":19.90}""", "k", "19.90")]
    [InlineData("""{"k":-1.5e3}""", "k", "-1.5e3")]
    public void ReadsWhatTheDocumentSays(string json, string name, string value)
    {
        using var document = JsonDocument.Parse(json);
        var property = document.RootElement.EnumerateObject().Single();

        Assert.Equal(name, JsonStrings.Name(property));
        Assert.Equal(value, JsonStrings.ValueText(property.Value));
    }

    [Fact]
    public void LongTextIsReadWholeAndNotPooled()
    {
        var text = new string('x', JsonStrings.MaxPooledBytes + 1);
        using var first = JsonDocument.Parse($$"""{"k":"{{text}}"}""");
        using var second = JsonDocument.Parse($$"""{"k":"{{text}}"}""");

        var one = JsonStrings.ValueText(first.RootElement.GetProperty("k"));
        Assert.Equal(text, one);
        Assert.NotSame(one, JsonStrings.ValueText(second.RootElement.GetProperty("k")));
    }

    [Fact]
    public void TextsSharingASlotEachReadBackRight()
    {
        // More distinct texts than slots: every read must still answer its own text, whatever the slot held before.
        for (var i = 0; i < JsonStrings.Slots * 2; i++)
        {
            using var document = JsonDocument.Parse($$"""{"k":"v{{i}}"}""");
            Assert.Equal($"v{i}", JsonStrings.ValueText(document.RootElement.GetProperty("k")));
        }
    }
}
