namespace ProductEvents.Grains.Contacts;

/// <summary>Folds product events into a contact's bounded interaction summary (event time, so late events land right).</summary>
public static class ContactProjection
{
    public static void Apply(ContactState state, ProductEventRecord e, int maxInteractions)
    {
        if (state.Interactions.TryGetValue(e.ProductId, out var byType) && byType.TryGetValue(e.EventType, out var interaction))
        {
            interaction.Count++;
            if (e.Timestamp < interaction.FirstAt)
            {
                interaction.FirstAt = e.Timestamp;
            }

            if (e.Timestamp > interaction.LastAt)
            {
                interaction.LastAt = e.Timestamp;
            }

            interaction.LastSeq = e.Seq;
            interaction.AddTime(e.Timestamp);
        }
        else
        {
            if (state.InteractionCount >= maxInteractions)
            {
                DropLeastRecentlyActive(state);
            }

            if (!state.Interactions.TryGetValue(e.ProductId, out byType))
            {
                byType = new ProductInteractions();
                state.Interactions[e.ProductId] = byType;
            }

            var added = new Interaction { Type = e.EventType, Count = 1, FirstAt = e.Timestamp, LastAt = e.Timestamp, LastSeq = e.Seq };
            added.AddTime(e.Timestamp);
            byType.Add(added);
            state.InteractionCount++;
        }

        if (state.EventCount == 0 || e.Timestamp < state.FirstSeenAt)
        {
            state.FirstSeenAt = e.Timestamp;
        }

        if (e.Timestamp > state.LastSeenAt)
        {
            state.LastSeenAt = e.Timestamp;
        }

        state.EventCount++;
        state.AppliedSeq = e.Seq;
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
