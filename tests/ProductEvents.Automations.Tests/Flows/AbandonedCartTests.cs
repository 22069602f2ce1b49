using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>
/// Add to cart → wait three hours (a fake clock) → one signed webhook naming the product and its price, unless the
/// contact bought that product after adding it, even when the purchase arrives late.
/// </summary>
public sealed class AbandonedCartTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromHours(3);

    [Fact]
    public async Task AddToCartWithoutPurchaseSendsOneSignedWebhookNamingTheProductAndPrice()
    {
        var (user, product, automation) = await StartAsync();

        fixture.Clock.Advance(Wait + TimeSpan.FromSeconds(1));
        await fixture.RunAsync(automation, "fired");
        var webhook = await Eventually.GetAsync(() => Task.FromResult(fixture.Receiver.Delivered.SingleOrDefault(w => w.Json["user_id"]?.GetValue<string>() == user)), "the webhook");

        Assert.True(Signatures.Verify(webhook.Body, webhook.Signature, Definitions.WebhookSecret), webhook.Signature);
        Assert.Equal(automation, webhook.Json["automation_id"]!.GetValue<string>());
        Assert.Equal(product, webhook.Json["product"]!["product_id"]!.GetValue<string>());
        Assert.Equal("Red Shoe", webhook.Json["product"]!["name"]!.GetValue<string>());
        Assert.Equal(19.90m, webhook.Json["product"]!["attributes"]!["price"]!.GetValue<decimal>());
        Assert.Equal("Still thinking about Red Shoe at 19.90?", webhook.Json["message"]!.GetValue<string>());
        Assert.Equal("add to cart", webhook.Json["trigger_event"]!["event_type"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => (await fixture.Host.DeliveriesAsync("delivered")).Any(d => d!["run_id"]!.GetValue<string>() == webhook.Json["run_id"]!.GetValue<string>()), "the delivery to be delivered");
        Assert.Single(fixture.Receiver.Received, w => w.Json["user_id"]?.GetValue<string>() == user);
    }

    [Fact]
    public async Task APurchaseDuringTheWaitCancelsTheRun()
    {
        var (user, product, automation) = await StartAsync();

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await fixture.Host.PostEventAsync(user, product, "purchase", fixture.Clock.GetUtcNow());
        await fixture.ContactHasAsync(user, 2);
        fixture.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));

        var run = await fixture.RunAsync(automation, "cancelled");
        Assert.Equal("unless held at fire time", run["reason"]!.GetValue<string>());
        Assert.DoesNotContain(fixture.Receiver.Received, w => w.Json["user_id"]?.GetValue<string>() == user);
    }

    [Fact]
    public async Task ALatePurchaseStampedAfterTheTriggerArrivingJustBeforeTheWaitEndsCancelsTheRun()
    {
        var (user, product, automation) = await StartAsync();
        var addedAt = fixture.Clock.GetUtcNow();

        fixture.Clock.Advance(Wait - TimeSpan.FromMinutes(1));
        await fixture.Host.PostEventAsync(user, product, "purchase", addedAt + TimeSpan.FromMinutes(1));
        await fixture.ContactHasAsync(user, 2);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        await fixture.RunAsync(automation, "cancelled");
        Assert.DoesNotContain(fixture.Receiver.Received, w => w.Json["user_id"]?.GetValue<string>() == user);
    }

    [Fact]
    public async Task ALatePurchaseStampedBeforeTheTriggerDoesNotCancelIt()
    {
        var (user, product, automation) = await StartAsync();
        var addedAt = fixture.Clock.GetUtcNow();

        await fixture.Host.PostEventAsync(user, product, "purchase", addedAt - TimeSpan.FromMinutes(5));
        await fixture.ContactHasAsync(user, 2);
        fixture.Clock.Advance(Wait + TimeSpan.FromSeconds(1));

        await fixture.RunAsync(automation, "fired");
        await Eventually.TrueAsync(() => fixture.Receiver.Delivered.Any(w => w.Json["user_id"]?.GetValue<string>() == user), "the webhook");
    }

    /// <summary>An automation of its own (a product filter on a new product id), and one add to cart of that product.</summary>
    private async Task<(string User, string Product, string Automation)> StartAsync()
    {
        var user = $"u-{Guid.NewGuid():N}";
        var product = $"p-{Guid.NewGuid():N}";
        var definition = Definitions.AbandonedCart(fixture.Receiver.Url);
        definition["trigger"]!["event"]!["product"] = new JsonObject { ["product_id"] = new JsonObject { ["eq"] = product } };
        var automation = await fixture.Host.CreateAutomationAsync(definition);
        await fixture.Host.PostEventAsync(user, product, "add to cart", fixture.Clock.GetUtcNow(), new JsonObject { ["name"] = "Red Shoe", ["price"] = JsonNode.Parse("19.90") });
        await fixture.RunAsync(automation, "waiting");
        return (user, product, automation);
    }
}
