using System.Text.Json;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Automations.Tests.Logic;

/// <summary><c>same_product</c> looks only at the trigger's product after the trigger's event time; other nodes at the whole contact.</summary>
[Trait("Category", "Unit")]
public sealed class UnlessEvaluatorTests
{
    private static readonly DateTimeOffset AddedAt = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = AddedAt.AddHours(3);

    [Fact]
    public void PurchaseOfTheSameProductAfterTheTriggerHolds() =>
        Assert.True(Holds(SameProductPurchase, ("shoe", ProductEventType.Purchase, AddedAt.AddMinutes(1))));

    [Fact]
    public void PurchaseOfTheSameProductBeforeTheTriggerDoesNotHold() =>
        Assert.False(Holds(SameProductPurchase, ("shoe", ProductEventType.Purchase, AddedAt.AddMinutes(-1))));

    [Fact]
    public void PurchaseOfAnotherProductDoesNotHold() =>
        Assert.False(Holds(SameProductPurchase, ("hat", ProductEventType.Purchase, AddedAt.AddMinutes(1))));

    [Fact]
    public void WithoutSameProductAnyPurchaseHolds() =>
        Assert.True(Holds("""{"event": {"types": ["purchase"]}}""", ("hat", ProductEventType.Purchase, AddedAt.AddMinutes(-1))));

    [Fact]
    public void SameProductInsideAllAndNotIsFoundByItsPath() =>
        Assert.False(Holds(
            """{"all": [{"event": {"types": ["view"]}}, {"not": {"event": {"types": ["purchase"], "same_product": true}}}]}""",
            ("shoe", ProductEventType.View, AddedAt), ("shoe", ProductEventType.Purchase, AddedAt.AddSeconds(1))));

    private const string SameProductPurchase = """{"event": {"types": ["purchase"], "same_product": true}}""";

    private static bool Holds(string unlessJson, params (string Product, ProductEventType Type, DateTimeOffset At)[] events)
    {
        var errors = new List<SegmentDefinitionError>();
        using var document = JsonDocument.Parse(unlessJson);
        var unless = UnlessConditionParser.Parse(document.RootElement, errors);
        Assert.True(unless is not null, string.Join("; ", errors));
        var state = new ContactState();
        var seq = 0;
        foreach (var (product, type, at) in events.Prepend(("shoe", ProductEventType.AddToCart, AddedAt)))
        {
            ContactProjection.Apply(state, new ProductEventRecord(++seq, Guid.NewGuid(), "app", product, type, "u", null, null, at, at, null, new Dictionary<string, AttributeValue>(), null), 1000);
        }

        return UnlessEvaluator.Holds(unless!, state, new Dictionary<string, ProductSnapshot>(), "shoe", AddedAt, Now);
    }
}
