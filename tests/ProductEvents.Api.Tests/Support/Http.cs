using System.Net;
using System.Text.Json.Nodes;

namespace ProductEvents.Api.Tests.Support;

public static class Http
{
    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("The body is JSON null.");
    }

    /// <summary>Asserts a problem+json answer with the status; answers the problem document.</summary>
    public static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }

    /// <summary>Asserts a 400 problem+json whose <c>errors</c> name the field; answers the field's reasons, joined.</summary>
    public static async Task<string> AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"no error for '{field}' in {problem}");
        var reasons = errors[field]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));
        return string.Join(" ", reasons);
    }
}
