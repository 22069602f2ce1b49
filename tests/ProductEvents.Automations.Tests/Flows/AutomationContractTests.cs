using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>
/// The typed answers and bound queries of automations, campaigns and deliveries keep the wire as it was:
/// a definition answered as written, any content type read as JSON, an empty query value refused by name.
/// </summary>
public sealed class AutomationContractTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private static readonly Uri Receiver = new("http://127.0.0.1:9/hook");

    [Fact]
    public async Task AutomationIsAnsweredWithTheOptionalPartsAsWrittenAndNoSecret()
    {
        var definition = Definitions.AbandonedCart(Receiver);
        definition.Remove("wait");
        definition["unless"] = null;
        definition["action"]!["webhook"]!.AsObject().Remove("template");

        var id = await fixture.Host.CreateAutomationAsync(definition);
        var read = JsonNode.Parse(await fixture.Host.Http.GetStringAsync($"/api/v1/automations/{id}"))!.AsObject();

        Assert.Equal(
            ["id", "name", "enabled", "trigger", "unless", "action", "version", "created_at", "updated_at"],
            read.Select(p => p.Key));
        Assert.Null(read["unless"]);
        Assert.Equal("""{"webhook":{"url":"http://127.0.0.1:9/hook","secret_set":true}}""", read["action"]!.ToJsonString());
        Assert.Equal("""{"event":{"types":["add to cart"]}}""", read["trigger"]!.ToJsonString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task DefinitionIsReadAsJsonWhateverItsContentType(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Definitions.AbandonedCart(Receiver).ToJsonString()));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await fixture.Host.Http.PostAsync("/api/v1/automations", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/deliveries?limit=", "limit")]
    [InlineData("/api/v1/deliveries?status=", "status")]
    [InlineData("/api/v1/deliveries?limit=abc", "limit")]
    [InlineData("/api/v1/campaigns?limit=", "limit")]
    [InlineData("/api/v1/campaigns?limit=0", "limit")]
    public async Task EmptyOrBadQueryValueIsRefusedByName(string path, string parameter)
    {
        using var response = await fixture.Host.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().ContainsKey(parameter));
    }

    [Theory]
    [InlineData("limit=", "limit")]
    [InlineData("status=", "status")]
    [InlineData("status=done", "status")]
    public async Task EmptyOrBadRunsQueryValueIsRefusedByName(string query, string parameter)
    {
        var id = await fixture.Host.CreateAutomationAsync(Definitions.AbandonedCart(Receiver));

        using var response = await fixture.Host.Http.GetAsync($"/api/v1/automations/{id}/runs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().ContainsKey(parameter));
    }
}
