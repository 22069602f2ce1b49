namespace ProductEvents.Grains.Contacts;

/// <summary>Folds product events into a contact's bounded interaction summary (event time, so late events land right).</summary>
public static class ContactProjection
{
    public static void Apply(ContactState state, ProductEventRecord e, int maxInteractions) =>
        Apply(state, e.ProductId, e.EventType, e.Timestamp, e.Seq, maxInteractions);

    /// <summary>Folds one event given by its parts (the analytics index holds events as columns, not records).</summary>
    public static void Apply(ContactState state, string productId, ProductEventType type, DateTimeOffset timestamp, long seq, int maxInteractions)
    {
        if (state.Interactions.TryGetValue(productId, out var byType) && byType.TryGetValue(type, out var interaction))
        {
            interaction.Count++;
            if (timestamp < interaction.FirstAt)
            {
                interaction.FirstAt = timestamp;
            }

            if (timestamp > interaction.LastAt)
            {
                interaction.LastAt = timestamp;
            }

            interaction.LastSeq = seq;
            interaction.AddTime(timestamp);
        }
        else
        {
            if (state.InteractionCount >= maxInteractions)
            {
                DropLeastRecentlyActive(state);
            }

            if (!state.Interactions.TryGetValue(productId, out byType))
            {
                byType = new ProductInteractions();
                state.Interactions[productId] = byType;
            }

            var added = new Interaction { Type = type, Count = 1, FirstAt = timestamp, LastAt = timestamp, LastSeq = seq };
            added.AddTime(timestamp);
            byType.Add(added);
            state.InteractionCount++;
        }

        if (state.EventCount == 0 || timestamp < state.FirstSeenAt)
        {
            state.FirstSeenAt = timestamp;
        }

        if (timestamp > state.LastSeenAt)
        {
            state.LastSeenAt = timestamp;
        }

        state.EventCount++;
        state.AppliedSeq = seq;
    }

    public static ContactSnapshot? ToSnapshot(ContactRef contact, ContactState state) =>
        state.EventCount == 0
            ? null
            : new ContactSnapshot(
                contact,
                state.Interactions
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .SelectMany(p => p.Value.Items
                        .OrderBy(i => i.Type)
                        .Select(i => new ContactInteraction(p.Key, i.Type, i.Count, i.FirstAt, i.LastAt)))
                    .ToArray(),
                state.EventCount,
                state.FirstSeenAt,
                state.LastSeenAt,
                state.AppliedSeq);

    private static void DropLeastRecentlyActive(ContactState state)
    {
        var (productId, type, _) = state.Interactions
            .SelectMany(p => p.Value.Items.Select(i => (ProductId: p.Key, i.Type, i.LastSeq)))
            .MinBy(i => i.LastSeq);
        var byType = state.Interactions[productId];
        byType.Remove(type);
        if (byType.Count == 0)
        {
            state.Interactions.Remove(productId);
        }

        state.InteractionCount--;
    }
}
