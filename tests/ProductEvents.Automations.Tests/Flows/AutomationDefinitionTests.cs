using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>The automations API: CRUD, the secret kept out of answers, bad definitions refused with the path, secret key only.</summary>
public sealed class AutomationDefinitionTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private static readonly Uri Receiver = new("http://127.0.0.1:9/hook");

    [Fact]
    public async Task CreatedAutomationIsReadListedUpdatedAndDeletedWithoutItsSecret()
    {
        var id = await fixture.Host.CreateAutomationAsync(Definitions.AbandonedCart(Receiver));

        var read = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/automations/{id}"))!;
        Assert.Equal("Abandoned cart", read["name"]!.GetValue<string>());
        Assert.True(read["enabled"]!.GetValue<bool>());
        Assert.Equal("PT3H", read["wait"]!.GetValue<string>());
        Assert.DoesNotContain(Definitions.WebhookSecret, read.ToJsonString());
        Assert.Contains((await fixture.Host.Http.GetFromJsonAsync<JsonArray>("/api/v1/automations"))!, a => a!["id"]!.GetValue<string>() == id);

        var disabled = Definitions.AbandonedCart(Receiver);
        disabled["enabled"] = false;
        using (var put = await fixture.Host.Http.PutAsJsonAsync($"/api/v1/automations/{id}", disabled))
        {
            var updated = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;
            Assert.False(updated["enabled"]!.GetValue<bool>());
            Assert.Equal(2, updated["version"]!.GetValue<int>());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Host.Http.DeleteAsync($"/api/v1/automations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Host.Http.GetAsync($"/api/v1/automations/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("trigger.event.types[0]", "trigger", """{"event": {"types": ["teleport"]}}""")]
    [InlineData("trigger.event.within", "trigger", """{"event": {"types": ["add to cart"], "within": "P1D"}}""")]
    [InlineData("trigger", "trigger", """{"event": {"types": ["view"]}, "segment": {"id": "s", "on": "join"}}""")]
    [InlineData("wait", "wait", "\"three hours\"")]
    [InlineData("unless.event.types", "unless", """{"event": {"same_product": true}}""")]
    [InlineData("unless.all[0].event.same_product", "unless", """{"all": [{"event": {"types": ["purchase"], "same_product": "yes"}}]}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": 0, "per": "P1D"}""")]
    [InlineData("action.webhook.url", "action", """{"webhook": {"url": "ftp://example.test/x", "secret": "s", "template": ""}}""")]
    [InlineData("action.webhook.secret", "action", """{"webhook": {"url": "http://127.0.0.1:9/x", "template": ""}}""")]
    public async Task BadDefinitionIsRefusedNamingThePath(string path, string field, string json)
    {
        var definition = Definitions.AbandonedCart(Receiver);
        definition[field] = JsonNode.Parse(json);

        var errors = await PostInvalidAsync(definition);

        Assert.True(errors.ContainsKey(path), errors.ToJsonString());
    }

    [Theory]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": "1", "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": [1], "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": {"n": 1}, "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": true, "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": null, "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": -1, "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": 1.5, "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": 1e20, "per": "P1D"}""")]
    [InlineData("frequency_cap.max", "frequency_cap", """{"max": -1e400, "per": "P1D"}""")]
    [InlineData("frequency_cap", "frequency_cap", """[1, "P1D"]""")]
    [InlineData("frequency_cap", "frequency_cap", "\"1 per day\"")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": -1e20}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": -1}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": 0}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": 1e20}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": 1e400}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": -1e400}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": [86400]}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": true}""")]
    [InlineData("frequency_cap.per", "frequency_cap", """{"max": 1, "per": "P99999999999999D"}""")]
    [InlineData("wait", "wait", "-1e20")]
    [InlineData("wait", "wait", "-1")]
    [InlineData("wait", "wait", "1e20")]
    [InlineData("wait", "wait", "1e400")]
    [InlineData("wait", "wait", "-1e400")]
    [InlineData("wait", "wait", "-4.9e-324")]
    [InlineData("wait", "wait", "[10]")]
    [InlineData("wait", "wait", """{"seconds": 10}""")]
    [InlineData("wait", "wait", "true")]
    [InlineData("wait", "wait", "\"P400D\"")]
    [InlineData("wait", "wait", "\"PT-1H\"")]
    [InlineData("unless.event.within", "unless", """{"event": {"types": ["purchase"], "within": -1e20}}""")]
    [InlineData("unless.event.within", "unless", """{"event": {"types": ["purchase"], "within": 1e400}}""")]
    [InlineData("unless.event.within", "unless", """{"event": {"types": ["purchase"], "within": "P1D1"}}""")]
    [InlineData("unless.event.within", "unless", """{"event": {"types": ["purchase"], "within": [1]}}""")]
    [InlineData("unless.event.types[0]", "unless", """{"event": {"types": [1e20]}}""")]
    [InlineData("unless.event.types[0]", "unless", """{"event": {"types": [-1]}}""")]
    [InlineData("enabled", "enabled", "1")]
    [InlineData("name", "name", "1e400")]
    public async Task WrongKindOrOutOfRangeValueIsRefusedNamingThePathAndNothingIsStored(string path, string field, string json)
    {
        var before = (await fixture.Host.Http.GetFromJsonAsync<JsonArray>("/api/v1/automations"))!.Count;
        var definition = Definitions.AbandonedCart(Receiver);
        definition[field] = JsonNode.Parse(json);

        var errors = await PostInvalidAsync(definition);

        Assert.True(errors.ContainsKey(path), errors.ToJsonString());
        Assert.Equal(before, (await fixture.Host.Http.GetFromJsonAsync<JsonArray>("/api/v1/automations"))!.Count);
    }

    [Fact]
    public async Task WrongKindOrOutOfRangeValueInAnUpdateIsRefusedAndTheAutomationStaysAsItWas()
    {
        var id = await fixture.Host.CreateAutomationAsync(Definitions.AbandonedCart(Receiver));
        var definition = Definitions.AbandonedCart(Receiver);
        definition["wait"] = -1e20;
        definition["frequency_cap"] = JsonNode.Parse("""{"max": "1", "per": -1e20}""");

        using var response = await fixture.Host.Http.PutAsJsonAsync($"/api/v1/automations/{id}", definition);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("wait") && errors.ContainsKey("frequency_cap.max") && errors.ContainsKey("frequency_cap.per"), errors.ToJsonString());
        var read = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/automations/{id}"))!;
        Assert.Equal(1, read["version"]!.GetValue<int>());
        Assert.Equal("PT3H", read["wait"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplateThatDoesNotParseIsRefusedWithTheTemplateError()
    {
        var definition = Definitions.AbandonedCart(Receiver, template: "Hello {{ product.name ");

        var errors = await PostInvalidAsync(definition);

        var message = errors["action.webhook.template"]![0]!.GetValue<string>();
        Assert.StartsWith("does not parse: ", message);
        Assert.True(message.Length > "does not parse: ".Length, message);
    }

    [Fact]
    public async Task PublicKeyIsRefused()
    {
        using var response = await fixture.Host.PublicHttp.PostAsJsonAsync("/api/v1/automations", Definitions.AbandonedCart(Receiver));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.PublicHttp.GetAsync("/api/v1/deliveries")).StatusCode);
    }

    [Fact]
    public async Task UnknownStatusFilterIsRefused()
    {
        using var response = await fixture.Host.Http.GetAsync("/api/v1/deliveries?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("status", (await response.Content.ReadAsStringAsync()));
    }

    private async Task<JsonObject> PostInvalidAsync(JsonObject definition)
    {
        using var response = await fixture.Host.Http.PostAsJsonAsync("/api/v1/automations", definition);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!["errors"]!.AsObject();
    }
}
