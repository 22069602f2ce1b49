using System.Text.Json.Nodes;

namespace ProductEvents.Api.Tests.Support;

/// <summary>One HTTP/1.1 response read off a socket: status, headers (names lower-cased) and body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>Asserts a problem+json answer with the status and a type and title; answers the problem.</summary>
    public JsonNode AssertProblem(int status)
    {
        Assert.True(Status == status, $"expected {status}, got {Status}: {Body}");
        Assert.Equal("application/problem+json", Header("content-type")?.Split(';')[0]);
        if (Header("content-length") is { } length)
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(Body).ToString(System.Globalization.CultureInfo.InvariantCulture), length);
        }

        var problem = JsonNode.Parse(Body)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["type"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }
}
