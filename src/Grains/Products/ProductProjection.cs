using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Products;

/// <summary>Folds product events into a product: newest value per attribute by event time, counts per type.</summary>
public static class ProductProjection
{
    /// <param name="changedFields">Collects the fields whose value changed ("name" for the name), when given.</param>
    public static void Apply(ProductState state, ProductEventRecord e, ISet<string>? changedFields = null)
    {
        // An unchanged value keeps the text the product already holds: the event's copy then dies young instead of
        // living in the product until its next change (most events repeat a product's name and attributes).
        if (e.Name is not null && (state.Name is not { } name || name.IsOlderThan(e.Timestamp, e.Seq)))
        {
            var held = state.Name?.Value;
            var unchanged = held?.Text == e.Name;
            if (!unchanged)
            {
                changedFields?.Add("name");
            }

            state.Name = new StampedValue(unchanged ? held.GetValueOrDefault() : AttributeValue.FromString(e.Name), e.Timestamp, e.Seq);
        }

        foreach (var (key, value) in e.Attributes)
        {
            var known = state.Attributes.TryGetValue(key, out var current);
            if (!known || current.IsOlderThan(e.Timestamp, e.Seq))
            {
                var unchanged = known && current.Value == value;
                if (!unchanged)
                {
                    changedFields?.Add(key);
                }

                state.Attributes[key] = new StampedValue(unchanged ? current.Value : value, e.Timestamp, e.Seq);
            }
        }

        state.EventCounts[e.EventType] = state.EventCounts.GetValueOrDefault(e.EventType) + 1;
        state.CreatedAt ??= e.ReceivedAt;
        if (e.ReceivedAt > state.UpdatedAt)
        {
            state.UpdatedAt = e.ReceivedAt;
        }

        state.AppliedSeq = e.Seq;
    }

    public static ProductSnapshot? ToSnapshot(string productId, ProductState state) =>
        state.CreatedAt is not { } createdAt
            ? null
            : new ProductSnapshot(
                productId,
                state.Name?.Value.Text,
                state.Attributes.ToDictionary(a => a.Key, a => a.Value.Value, StringComparer.Ordinal),
                createdAt,
                state.UpdatedAt,
                new Dictionary<ProductEventType, long>(state.EventCounts),
                state.AppliedSeq);
}
