using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>Automations triggered by a contact joining or leaving a segment, read from the segment's recorded changes.</summary>
public sealed class SegmentTriggerTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    [Fact]
    public async Task AJoinFiresTheAutomationOnce()
    {
        var (segment, category) = await SegmentAsync();
        var automation = await AutomationAsync(segment, "join");
        var (first, second) = ($"u-{Guid.NewGuid():N}", $"u-{Guid.NewGuid():N}");

        await ViewAsync(first, category);
        var webhook = await WebhookAsync(automation, first);
        await ViewAsync(first, category);
        await ViewAsync(second, category);
        await WebhookAsync(automation, second);

        Assert.Single(fixture.Receiver.Received, w => w.Json["automation_id"]?.GetValue<string>() == automation && w.Json["user_id"]?.GetValue<string>() == first);
        Assert.Equal("segment_join", webhook.Json["trigger_event"]!["kind"]!.GetValue<string>());
        Assert.Equal($"{first} joined", webhook.Json["message"]!.GetValue<string>());
        Assert.Equal(2, (await fixture.Host.RunsAsync(automation)).Count);
    }

    [Fact]
    public async Task ALeaveTriggeredAutomationFiresOnLeaveOnly()
    {
        var (segment, category) = await SegmentAsync(leaveOnPurchase: true);
        var onLeave = await AutomationAsync(segment, "leave");
        var onJoin = await AutomationAsync(segment, "join");
        var user = $"u-{Guid.NewGuid():N}";

        await ViewAsync(user, category);
        await WebhookAsync(onJoin, user);
        Assert.DoesNotContain(fixture.Receiver.Received, w => w.Json["automation_id"]?.GetValue<string>() == onLeave);
        await fixture.Host.PostEventAsync(user, $"p-{category}", "purchase", fixture.Clock.GetUtcNow());
        var webhook = await WebhookAsync(onLeave, user);

        Assert.Equal("segment_leave", webhook.Json["trigger_event"]!["kind"]!.GetValue<string>());
        Assert.Equal(segment, webhook.Json["trigger_event"]!["segment_id"]!.GetValue<string>());
    }

    private async Task<(string Segment, string Category)> SegmentAsync(bool leaveOnPurchase = false)
    {
        var category = $"c-{Guid.NewGuid():N}";
        JsonNode Event(string type) => new JsonObject
        {
            ["event"] = new JsonObject { ["types"] = new JsonArray(type), ["product"] = new JsonObject { ["category"] = new JsonObject { ["eq"] = category } } },
        };
        var condition = leaveOnPurchase ? new JsonObject { ["all"] = new JsonArray(Event("view"), new JsonObject { ["not"] = Event("purchase") }) } : Event("view");
        using var created = await fixture.Host.Http.PostAsJsonAsync("/api/v1/segments", new JsonObject { ["name"] = category, ["condition"] = condition });
        return (JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>(), category);
    }

    private async Task<string> AutomationAsync(string segment, string on)
    {
        var id = await fixture.Host.CreateAutomationAsync(new JsonObject
        {
            ["name"] = $"On {on}",
            ["trigger"] = new JsonObject { ["segment"] = new JsonObject { ["id"] = segment, ["on"] = on } },
            ["action"] = Definitions.Webhook(fixture.Receiver.Url, "{{ contact.user_id }} " + on + "ed"),
        });

        // Silos re-read definitions once a (fake) second has passed.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1.1));
        return id;
    }

    private Task ViewAsync(string user, string category) =>
        fixture.Host.PostEventAsync(user, $"p-{category}", "view", fixture.Clock.GetUtcNow(), new JsonObject { ["category"] = category });

    /// <summary>Membership changes travel on a stream whose agents run on the host's clock: the fake one moves while waiting.</summary>
    private Task<ReceivedWebhook> WebhookAsync(string automation, string user) =>
        Eventually.GetAsync(() =>
        {
            fixture.Clock.Advance(TimeSpan.FromMilliseconds(50));
            return Task.FromResult(fixture.Receiver.Delivered.FirstOrDefault(w =>
                w.Json["automation_id"]?.GetValue<string>() == automation && w.Json["user_id"]?.GetValue<string>() == user));
        }, $"the webhook of {automation} for {user}");
}
