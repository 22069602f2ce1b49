using System.Text.Json;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Segments;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.Segments;

/// <summary>Builds conditions from JSON, contact states from events in arrival order, and product snapshots.</summary>
internal static class SegmentTesting
{
    public static readonly DateTimeOffset Now = Events.T0;

    public static readonly IReadOnlyDictionary<string, ProductSnapshot> NoProducts = new Dictionary<string, ProductSnapshot>();

    public static SegmentCondition Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var condition = SegmentConditionParser.Parse(document.RootElement, out var errors);
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
        return Assert.IsAssignableFrom<SegmentCondition>(condition);
    }

    public static IReadOnlyList<SegmentDefinitionError> Errors(string json, string path = "condition")
    {
        using var document = JsonDocument.Parse(json);
        var condition = SegmentConditionParser.Parse(document.RootElement, out var errors, path);
        Assert.Null(condition);
        Assert.NotEmpty(errors);
        return errors;
    }

    /// <summary>A contact state with the events applied in the order given (arrival order), whatever their times.</summary>
    public static ContactState Contact(params (string Product, ProductEventType Type, DateTimeOffset At)[] events)
    {
        var state = new ContactState();
        var seq = 0;
        foreach (var (product, type, at) in events)
        {
            ContactProjection.Apply(state, Events.Record(seq: ++seq, productId: product, type: type, timestamp: at), 5_000);
        }

        return state;
    }

    public static ProductSnapshot Product(string id, string? name = null, params (string Name, AttributeValue Value)[] attributes) =>
        new(
            id,
            name,
            attributes.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal),
            Now.AddDays(-30),
            Now.AddDays(-30),
            new Dictionary<ProductEventType, long>(),
            1);

    public static IReadOnlyDictionary<string, ProductSnapshot> Catalog(params ProductSnapshot[] products) =>
        products.ToDictionary(p => p.ProductId, StringComparer.Ordinal);

    public static SegmentEvaluation Evaluate(string json, ContactState contact, DateTimeOffset? now = null, IReadOnlyDictionary<string, ProductSnapshot>? products = null) =>
        SegmentEvaluator.Evaluate(Parse(json), contact, products ?? NoProducts, now ?? Now);

    public static bool IsMember(string json, ContactState contact, DateTimeOffset? now = null, IReadOnlyDictionary<string, ProductSnapshot>? products = null) =>
        Evaluate(json, contact, now, products).IsMember;
}
