using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>
/// A receiver that fails: retries with backoff until it recovers, a dead letter after the last attempt (3 here),
/// and the retry of a dead letter through the API. Real time with 50 ms backoff; a wait of zero fires at once.
/// </summary>
public sealed class DeliveryRetryTests : IAsyncLifetime
{
    private AutomationHost _host = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _host = await AutomationHost.StartAsync(settings: new Dictionary<string, string?> { ["ProductEvents:Deliveries:MaxAttempts"] = "3" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task FailedDeliveryIsRetriedUntilTheReceiverRecovers()
    {
        _receiver.FailNext = 2;
        await StartRunAsync("retry");

        var delivery = await DeliveryAsync("delivered");

        Assert.Equal(3, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Delivered);
        Assert.Single(_receiver.Received.Select(r => r.DeliveryId).Distinct());
    }

    [Fact]
    public async Task DeadLetterIsListedAndDeliveredWhenRetriedThroughTheApi()
    {
        _receiver.FailNext = 3;
        await StartRunAsync("dead");

        var dead = await DeliveryAsync("dead");
        Assert.Equal(3, dead["attempts"]!.GetValue<int>());
        Assert.Contains("500", dead["last_error"]!.GetValue<string>());
        var id = dead["id"]!.GetValue<string>();
        using (var again = await _host.Http.PostAsync($"/api/v1/deliveries/{id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var delivered = await DeliveryAsync("delivered");
        Assert.Equal(id, delivered["id"]!.GetValue<string>());
        Assert.Single(_receiver.Delivered);
        using var notDead = await _host.Http.PostAsync($"/api/v1/deliveries/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, notDead.StatusCode);
    }

    private async Task StartRunAsync(string name)
    {
        var definition = Definitions.AbandonedCart(_receiver.Url, wait: "PT0S");
        definition["name"] = name;
        await _host.CreateAutomationAsync(definition);
        await _host.PostEventAsync($"u-{Guid.NewGuid():N}", "p-1", "add to cart", DateTimeOffset.UtcNow);
    }

    private Task<JsonNode> DeliveryAsync(string status) =>
        Eventually.GetAsync(async () => (await _host.DeliveriesAsync(status)).SingleOrDefault(), $"a {status} delivery");
}
