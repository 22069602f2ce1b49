using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Contacts;

/// <summary>Folds product events into a contact's bounded interaction summary (event time, so late events land right).</summary>
public static class ContactProjection
{
    public static void Apply(ContactState state, ProductEventRecord e, int maxInteractions)
    {
        var key = new InteractionKey(e.ProductId, e.EventType);
        if (state.Interactions.TryGetValue(key, out var interaction))
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
        }
        else
        {
            if (state.Interactions.Count >= maxInteractions)
            {
                DropLeastRecentlyActive(state);
            }

            state.Interactions[key] = new Interaction { Count = 1, FirstAt = e.Timestamp, LastAt = e.Timestamp, LastSeq = e.Seq };
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
                    .OrderBy(i => i.Key.ProductId, StringComparer.Ordinal)
                    .ThenBy(i => i.Key.EventType)
                    .Select(i => new ContactInteraction(i.Key.ProductId, i.Key.EventType, i.Value.Count, i.Value.FirstAt, i.Value.LastAt))
                    .ToArray(),
                state.EventCount,
                state.FirstSeenAt,
                state.LastSeenAt,
                state.AppliedSeq);

    private static void DropLeastRecentlyActive(ContactState state)
    {
        var oldest = state.Interactions.MinBy(i => i.Value.LastSeq).Key;
        state.Interactions.Remove(oldest);
    }
}
