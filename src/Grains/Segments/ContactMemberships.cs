using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Contacts;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Evaluates every segment of the app for one contact and updates the contact's memberships: the changes to send,
/// and when time alone could change a result next.
/// </summary>
public static class ContactMemberships
{
    public static (List<(string SegmentId, MembershipChange Change)> Changes, DateTimeOffset? NextCheckAt) Evaluate(
        ContactRef contact,
        ContactState state,
        IReadOnlyList<CompiledSegment> segments,
        IReadOnlyDictionary<string, ProductSnapshot> products,
        DateTimeOffset now,
        IReadOnlyDictionary<string, DateTimeOffset>? stored = null)
    {
        var changes = new List<(string, MembershipChange)>();
        DateTimeOffset? next = null;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var result = SegmentEvaluator.Evaluate(segment.Condition, state, products, now);
            if (result.NextCheckAt is { } at && (next is null || at < next))
            {
                next = at;
            }

            var wasMember = state.Segments.TryGetValue(segment.Id, out var since);
            if (result.IsMember && !wasMember)
            {
                state.Segments[segment.Id] = now;
                changes.Add((segment.Id, new MembershipChange(contact, true, now)));
            }
            else if (!result.IsMember && wasMember)
            {
                state.Segments.Remove(segment.Id);
                changes.Add((segment.Id, new MembershipChange(contact, false, now)));
            }
            else if (stored is not null && result.IsMember != stored.ContainsKey(segment.Id))
            {
                // The store disagrees with what the contact already knew: a change on its way was lost (a crash).
                changes.Add((segment.Id, new MembershipChange(contact, result.IsMember, wasMember ? since : now)));
            }
        }

        // Memberships of deleted segments go quietly: the segment's rows went with it.
        List<string>? gone = null;
        foreach (var id in state.Segments.Keys)
        {
            if (!IsDefined(segments, id))
            {
                (gone ??= []).Add(id);
            }
        }

        if (gone is not null)
        {
            foreach (var id in gone)
            {
                state.Segments.Remove(id);
            }
        }

        return (changes, next);
    }

    /// <summary>
    /// Turns the evaluation's change for the segment being built into the contact's answer to that build, or adds an
    /// answer that carries no change. Published last on that segment's stream, it follows every earlier change there.
    /// </summary>
    public static void AnswerBuild(List<(string SegmentId, MembershipChange Change)> changes, ContactRef contact, string segmentId, int version, DateTimeOffset now)
    {
        var i = changes.FindIndex(c => string.Equals(c.SegmentId, segmentId, StringComparison.Ordinal));
        if (i >= 0)
        {
            var change = changes[i].Change with { Build = version };
            changes.RemoveAt(i);
            changes.Add((segmentId, change));
        }
        else
        {
            changes.Add((segmentId, new MembershipChange(contact, false, now, version, AnswerOnly: true)));
        }
    }

    private static bool IsDefined(IReadOnlyList<CompiledSegment> segments, string id)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (string.Equals(segment.Id, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static HashSet<string> ProductsNeeded(IReadOnlyList<CompiledSegment> segments, ContactState state)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            SegmentEvaluator.CollectProductsNeeded(segment.Condition, state, needed);
        }

        return needed;
    }
}
