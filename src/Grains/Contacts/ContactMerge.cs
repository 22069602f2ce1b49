namespace ProductEvents.Grains.Contacts;

/// <summary>
/// Folds an anonymous visitor's entries into a contact's summary. The summary stays "every entry of the contact and of
/// its merged visitors up to <see cref="ContactState.AppliedSeq"/>": a newly merged visitor brings its entries up to
/// that position here, and the ones after it arrive by catching up from the log in log order.
/// </summary>
public static class ContactMerge
{
    /// <summary>The most visitor keys one contact merges; further keys stay separate visitors (bounded state).</summary>
    public const int MaxMergedKeys = 100;

    /// <summary>Adds the visitor's entries at or before the summary's position, without moving that position.</summary>
    public static void FoldEarlier(ContactState state, string userKey, IEnumerable<ProductEventRecord> visitorEntries, int maxInteractions)
    {
        var position = state.AppliedSeq;
        foreach (var entry in visitorEntries)
        {
            if (entry.Seq <= position)
            {
                ContactProjection.Apply(state, entry, maxInteractions);
            }
        }

        state.AppliedSeq = position;
        state.MergedKeys.Add(userKey);
    }
}
