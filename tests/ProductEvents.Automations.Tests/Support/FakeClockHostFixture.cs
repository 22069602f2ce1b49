using Microsoft.Extensions.Time.Testing;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Support;

/// <summary>One host driven by a fake clock and one webhook receiver, shared by a test class; each test uses its own ids.</summary>
public sealed class FakeClockHostFixture : IAsyncLifetime
{
    /// <summary>
    /// Starts on a whole second, so the times the silo computes from it stay on the millisecond grid the fake clock's
    /// timers work in, and runs timer callbacks on the pool (<see cref="PooledFakeTimeProvider"/>): runs spun inside
    /// <c>Advance</c>, in Orleans' wait-until loop.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new PooledFakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public AutomationHost Host { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Host = await AutomationHost.StartAsync(Clock, settings: new Dictionary<string, string?> { ["ProductEvents:Deliveries:MaxAttempts"] = "3" });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Waits until the contact has applied <paramref name="events"/> events, so a run firing next sees them.</summary>
    public Task ContactHasAsync(string userId, int events) =>
        Eventually.TrueAsync(async () =>
        {
            using var response = await Host.Http.GetAsync($"/api/v1/contacts/{userId}");
            return response.IsSuccessStatusCode
                && System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["event_count"]!.GetValue<long>() >= events;
        }, $"contact {userId} to have {events} events");

    /// <summary>Waits for the automation's only run to reach <paramref name="status"/>.</summary>
    public Task<System.Text.Json.Nodes.JsonNode> RunAsync(string automationId, string status) =>
        Eventually.GetAsync(async () =>
        {
            var runs = await Host.RunsAsync(automationId);
            return runs.Count == 1 && runs[0]!["status"]!.GetValue<string>() == status ? runs[0] : null;
        }, $"the run of {automationId} to be {status}");
}
