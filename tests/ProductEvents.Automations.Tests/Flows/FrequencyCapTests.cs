using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>A frequency cap of one per day: the second run of the same contact within the day is capped, another contact's is not.</summary>
public sealed class FrequencyCapTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    [Fact]
    public async Task SecondRunForTheSameContactWithinThePeriodIsCapped()
    {
        var user = $"u-{Guid.NewGuid():N}";
        var other = $"u-{Guid.NewGuid():N}";
        var product = $"p-{Guid.NewGuid():N}";
        var definition = Definitions.AbandonedCart(fixture.Receiver.Url, wait: "PT10M", template: "{{ contact.user_id }}");
        definition["trigger"]!["event"]!["product"] = new JsonObject { ["product_id"] = new JsonObject { ["eq"] = product } };
        definition["frequency_cap"] = new JsonObject { ["max"] = 1, ["per"] = "P1D" };
        var automation = await fixture.Host.CreateAutomationAsync(definition);

        await fixture.Host.PostEventAsync(user, product, "add to cart", fixture.Clock.GetUtcNow());
        await Eventually.TrueAsync(async () => (await fixture.Host.RunsAsync(automation)).Count == 1, "the first run");
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        await Eventually.TrueAsync(async () => (await fixture.Host.RunsAsync(automation)).Any(r => r!["status"]!.GetValue<string>() == "fired"), "the first run to fire");

        // The first webhook's delivery is leased on the fake clock: it must be recorded before the clock jumps again, or
        // the jump ends its lease and it is claimed and sent a second time (at-least-once, as after a silo's death).
        await Eventually.TrueAsync(async () => (await fixture.Host.DeliveriesAsync("delivered")).Count == 1, "the first webhook to be recorded as delivered");

        await fixture.Host.PostEventAsync(user, product, "add to cart", fixture.Clock.GetUtcNow());
        await fixture.Host.PostEventAsync(other, product, "add to cart", fixture.Clock.GetUtcNow());
        await Eventually.TrueAsync(async () => (await fixture.Host.RunsAsync(automation)).Count == 3, "three runs");
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));

        await Eventually.TrueAsync(async () => (await fixture.Host.RunsAsync(automation)).All(r => r!["status"]!.GetValue<string>() != "waiting"), "every run to end");
        var runs = await fixture.Host.RunsAsync(automation);
        Assert.Equal(2, runs.Count(r => r!["status"]!.GetValue<string>() == "fired"));
        var capped = Assert.Single(runs, r => r!["status"]!.GetValue<string>() == "capped");
        Assert.Equal(user, capped!["user_id"]!.GetValue<string>());
        await Eventually.TrueAsync(() => fixture.Receiver.Delivered.Count(w => w.Json["message"]!.GetValue<string>() == user) == 1
            && fixture.Receiver.Delivered.Any(w => w.Json["message"]!.GetValue<string>() == other), "one webhook per contact");
    }
}
