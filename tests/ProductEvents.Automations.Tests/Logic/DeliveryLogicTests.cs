using System.Text.Json.Nodes;
using ProductEvents.Abstractions;
using ProductEvents.Api.Automations;
using ProductEvents.Grains.Automations;
using ProductEvents.Silo.Deliveries;

namespace ProductEvents.Automations.Tests.Logic;

/// <summary>Backoff with full jitter, the sliding frequency cap, run ids and the signed payload.</summary>
[Trait("Category", "Unit")]
public sealed class DeliveryLogicTests
{
    [Theory]
    [InlineData(1, 1.0, 2_000)]
    [InlineData(3, 1.0, 8_000)]
    [InlineData(3, 0.5, 4_000)]
    [InlineData(30, 1.0, 3_600_000)]
    [InlineData(2, 0.0, 0)]
    public void BackoffDoublesPerAttemptWithinTheCapScaledByTheJitter(int attempts, double random, double expectedMs) =>
        Assert.Equal(expectedMs, DeliveryBackoff.Next(attempts, TimeSpan.FromSeconds(2), TimeSpan.FromHours(1), random).TotalMilliseconds, 3);

    [Fact]
    public void CapAllowsMaxSendsPerPeriodAndTheSameRunAgain()
    {
        var sends = new Dictionary<string, DateTimeOffset>();
        var t0 = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(CapWindow.TryTake(sends, "r1", 1, TimeSpan.FromDays(1), t0));
        Assert.True(CapWindow.TryTake(sends, "r1", 1, TimeSpan.FromDays(1), t0.AddHours(1)));
        Assert.False(CapWindow.TryTake(sends, "r2", 1, TimeSpan.FromDays(1), t0.AddHours(23)));
        Assert.True(CapWindow.TryTake(sends, "r3", 1, TimeSpan.FromDays(1), t0.AddDays(1)));
        Assert.Single(sends);
    }

    [Fact]
    public void RunIdDependsOnlyOnTheAutomationAndTheTriggerEvent()
    {
        var e = Guid.NewGuid();
        Assert.Equal(RunIds.ForEvent("aut_1", e), RunIds.ForEvent("aut_1", e));
        Assert.NotEqual(RunIds.ForEvent("aut_1", e), RunIds.ForEvent("aut_2", e));
        Assert.NotEqual(RunIds.ForEvent("aut_1", e), RunIds.ForEvent("aut_1", Guid.NewGuid()));
    }

    [Fact]
    public void PayloadKeepsTheExactPriceTextAndItsSignatureVerifies()
    {
        var product = new ProductSnapshot("p1", "Red Shoe", new Dictionary<string, AttributeValue> { ["price"] = AttributeValue.FromNumberText("19.90") },
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, new Dictionary<ProductEventType, long>(), 1);
        var body = WebhookPayload.Build("aut_1", "run_1", null, ContactRef.User("u1"), "p1", product, null, "hi");

        Assert.Contains("\"price\":19.90", body);
        Assert.Equal("u1", JsonNode.Parse(body)!["user_id"]!.GetValue<string>());
        Assert.True(Support.Signatures.Verify(System.Text.Encoding.UTF8.GetBytes(body), WebhookPayload.Sign(body, "k"), "k"));
        Assert.False(Support.Signatures.Verify(System.Text.Encoding.UTF8.GetBytes(body + " "), WebhookPayload.Sign(body, "k"), "k"));
    }
}
