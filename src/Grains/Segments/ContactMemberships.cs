using ProductEvents.Abstractions;
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
        bool reassert)
    {
        var changes = new List<(string, MembershipChange)>();
        DateTimeOffset? next = null;
        foreach (var segment in segments)
        {
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
            else if (reassert)
            {
                changes.Add((segment.Id, new MembershipChange(contact, result.IsMember, wasMember ? since : now)));
            }
        }

        // Memberships of deleted segments go quietly: the segment's rows went with it.
        if (state.Segments.Count > 0)
        {
            var defined = segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in state.Segments.Keys.Where(id => !defined.Contains(id)).ToList())
            {
                state.Segments.Remove(gone);
            }
        }

        return (changes, next);
    }

    public static HashSet<string> ProductsNeeded(IReadOnlyList<CompiledSegment> segments, ContactState state)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            needed.UnionWith(SegmentEvaluator.ProductsNeeded(segment.Condition, state));
        }

        return needed;
    }
}
