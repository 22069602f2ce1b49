using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Support;

/// <summary>
/// A host with the production address policy (loopback refused, no allowed networks) and a receiver on 127.0.0.1 that
/// must never see a request: the only address the tests could reach is loopback, and the policy refuses it.
/// </summary>
public sealed class StrictAddressHostFixture : IAsyncLifetime
{
    public AutomationHost Host { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Host = await AutomationHost.StartAsync(settings: new Dictionary<string, string?> { ["ProductEvents:Webhooks:AllowLoopback"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
