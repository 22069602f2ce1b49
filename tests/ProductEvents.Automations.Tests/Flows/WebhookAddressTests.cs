using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>
/// With the production address policy, automations and campaigns aimed at loopback, private, link-local or metadata
/// addresses are refused with 400 naming the URL, and a stored delivery to such an address is dead-lettered at its
/// first attempt without a request. Every refused URL is checked without resolving or connecting.
/// </summary>
public sealed class WebhookAddressTests(StrictAddressHostFixture fixture) : IClassFixture<StrictAddressHostFixture>
{
    public static TheoryData<string> RefusedUrls =>
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:5432/",
        "http://0x7f000001:8080/hook",
        "http://2130706433/",
        "http://10.0.0.1/",
        "http://192.168.1.20/hook",
        "http://100.100.100.200/",
        "http://0.0.0.0:8080/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/",
        "http://localhost:8080/hook",
        "http://hooks.localhost/",
    ];

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task AutomationToARefusedAddressIsRefusedNamingTheUrl(string url)
    {
        using var response = await fixture.Host.Http.PostAsJsonAsync("/api/v1/automations", Definitions.AbandonedCart(new Uri(url)));

        await AssertRefusedAsync(response);
    }

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task CampaignToARefusedAddressIsRefusedNamingTheUrl(string url)
    {
        var campaign = new JsonObject
        {
            ["name"] = "Spring sale",
            ["segment_id"] = "seg_any",
            ["action"] = Definitions.Webhook(new Uri(url), "hi"),
        };

        using var response = await fixture.Host.Http.PostAsJsonAsync("/api/v1/campaigns", campaign);

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task AutomationCannotBeUpdatedToARefusedAddress()
    {
        // A name is accepted when defined (it is resolved and checked when sent); no event triggers it here.
        var id = await fixture.Host.CreateAutomationAsync(Definitions.AbandonedCart(new Uri("https://hooks.example.com/x")));

        using var response = await fixture.Host.Http.PutAsJsonAsync($"/api/v1/automations/{id}", Definitions.AbandonedCart(new Uri("http://169.254.169.254/")));

        await AssertRefusedAsync(response);
        var kept = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/automations/{id}"))!;
        Assert.Equal("https://hooks.example.com/x", kept["action"]!["webhook"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task StoredDeliveryToARefusedAddressIsDeadAtItsFirstAttemptWithoutARequest()
    {
        // As if defined before an operator withdrew the allowance: the check when sent is what stops it.
        var id = $"dlv_strict_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var outbox = fixture.Host.Services.GetRequiredService<IDeliveryOutbox>();
        await outbox.EnqueueAsync([new Delivery(id, AutomationHost.App, "aut_strict", "run_strict", null, fixture.Receiver.Url.ToString(),
            "{}", "sha256=00", DeliveryStatus.Pending, 0, now, null, now, now)]);

        var dead = await Eventually.GetAsync(
            async () => (await fixture.Host.DeliveriesAsync("dead")).FirstOrDefault(d => d!["id"]!.GetValue<string>() == id), "the delivery to be dead");

        Assert.Equal(1, dead["attempts"]!.GetValue<int>());
        Assert.Contains("loopback", dead["last_error"]!.GetValue<string>());
        Assert.Empty(fixture.Receiver.Received);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("action.webhook.url"), text);
        Assert.Contains("ProductEvents:Webhooks", errors["action.webhook.url"]!.ToJsonString());
    }
}
