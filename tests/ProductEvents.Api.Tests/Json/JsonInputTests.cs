using System.Text;
using System.Text.Json;
using ProductEvents.Api.Json;

namespace ProductEvents.Api.Tests.Json;

[Trait("Category", "Unit")]
public sealed class JsonInputTests
{
    [Theory]
    [InlineData("""{"a": "plain", "b": "é 😀 \u00e9 \ud83d\ude00", "n": [0, -0.0, 1.5e308, 1e-300, 123456789012345678901234567890]}""")]
    [InlineData("""{"empty": {}, "list": [], "t": true, "z": null, "tab": "\t"}""")]
    public void ValidInputHasNoProblem(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(JsonInput.FindProblem(document.RootElement, "", JsonInput.MaxBodyDepth));
    }

    [Theory]
    [InlineData("""{"a": {"b": ["x", "\u0000"]}}""", "a.b[1]", "NUL")]
    [InlineData("""{"a": "\ud800"}""", "a", "surrogate")]
    [InlineData("""{"a": "\udc00\ud800"}""", "a", "surrogate")]
    [InlineData("""{"a": 1e309}""", "a", "1.7976931348623157e308")]
    [InlineData("""{"a": -1e999999999}""", "a", "1.7976931348623157e308")]
    [InlineData("""{"a": 1e-999999}""", "a", "1e-307")]
    [InlineData("""{"a": 0.00000000000000000000000000000000000000000000000000000000000000000000001}""", "a", "characters")]
    [InlineData("""{"a": {"b\u0000": 1}}""", "a", "property name")]
    [InlineData("""{"a": {"b": 1, "c": 2, "b": 3}}""", "a", "'b' more than once")]
    [InlineData("""{"a": {"b": 1, "\u0062": 3}}""", "a", "'b' more than once")]
    [InlineData("""[{"a": [1, [2, [3]]]}]""", "body[0].a[1][1]", "deeper than 4 levels")]
    public void TheFirstBrokenRuleIsNamedByItsPath(string json, string path, string reason)
    {
        using var document = JsonDocument.Parse(json);

        var problem = JsonInput.FindProblem(document.RootElement, "", 4);

        Assert.NotNull(problem);
        Assert.Equal(path, problem.Value.Path);
        Assert.Contains(reason, problem.Value.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsNamedWhereItStands()
    {
        byte[] json = [.. Encoding.ASCII.GetBytes("""{"name": "ok", "x": {"cut": "a"""), 0xF0, 0x9F, .. Encoding.ASCII.GetBytes("\"}}")];
        using var document = JsonDocument.Parse(json);

        var problem = JsonInput.FindProblem(document.RootElement, "", JsonInput.MaxBodyDepth);

        Assert.Equal(("x.cut", "must be valid UTF-8 text"), problem);
    }

    [Fact]
    public void ThePathStartsFromTheGivenOneAndDepthFromTheGivenLevel()
    {
        using var document = JsonDocument.Parse("""{"d": {"d": {"d": 1}}}""");

        Assert.Null(JsonInput.FindProblem(document.RootElement, "custom_data", 3));
        Assert.Equal("custom_data.d.d", JsonInput.FindProblem(document.RootElement, "custom_data", 3, level: 2)?.Path);
    }

    [Theory]
    [InlineData("plain", null)]
    [InlineData("a\0b", "NUL")]
    [InlineData("😀", null)]
    [InlineData("lone high", "surrogate")]
    [InlineData("lone low", "surrogate")]
    public void TextFromAPathOrQueryIsChecked(string text, string? reason)
    {
        // Test data cannot carry an unpaired surrogate through the runner: named cases stand for them.
        text = text switch { "lone high" => "a\ud800", "lone low" => "\udc00b", _ => text };
        var problem = JsonInput.TextProblem(text);

        if (reason is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(reason, problem, StringComparison.Ordinal);
        }
    }
}
