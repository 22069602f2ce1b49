using ProductEvents.Grains.Contacts;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Decides whether a contact is in a segment, from the contact's interaction summary and the current snapshots of the
/// products the condition filters on. Time comes only from <c>now</c>.
/// </summary>
/// <remarks>
/// <para><b>all / any / not</b> are boolean and, or, not. Their <see cref="SegmentEvaluation.NextCheckAt"/> is the
/// earliest of their children's: a conservative "evaluate again no later than".</para>
/// <para><b>event</b>: a matching event has a type in <c>types</c>, is on a product that passes every <c>product</c>
/// filter, lies in the window and, with <c>not_followed_by</c>, is not followed. The node holds when the number of
/// matching events satisfies <c>count</c> (default: at least one; <c>{"eq": 0}</c> and <c>{"lte": 0}</c> mean "no such
/// events"; a missing bound is open, so <c>{"lte": 3}</c> includes contacts with none).</para>
/// <para><b>Windows</b> use event time, never arrival time, so a late event lands where it belongs. <c>within</c> W:
/// times at or after now − W (an event exactly W old still counts; there is no upper bound, so an event stamped slightly
/// ahead of the clock counts too). <c>since</c>/<c>until</c>: since ≤ time &lt; until. Neither: all time.</para>
/// <para><b>Counting</b>: without a window and without <c>not_followed_by</c> the interaction's total count is used
/// (exact). With a window, a (product, event type) entry that lies wholly inside or outside the window (by its first and
/// last event time) is also counted exactly; otherwise, and always with <c>not_followed_by</c>, the entry's newest 64
/// event times are counted, so counts are exact up to 64 events per product and event type.</para>
/// <para><b>Product filters</b> look at the product's current snapshot; <c>product_id</c> is known without one, and a
/// product without a snapshot has no name and no attributes. eq/ne compare numbers numerically, strings ordinally
/// (case-sensitive) and booleans by value; values of different kinds are not equal. lt/lte/gt/gte compare two numbers
/// numerically or two strings ordinally, and are false for any other pair. contains: the value is a string containing
/// the operand, ignoring case. in: equals any of the values. A missing attribute, and an attribute whose value is null,
/// fails eq, in, lt, lte, gt, gte and contains and passes ne. exists true: the attribute is present with a non-null
/// value (<c>name</c>: the product has a name; <c>product_id</c> always exists); exists false: the opposite.</para>
/// <para><b>not_followed_by</b> {types F, within D}: an event at time t on product p is followed when the contact has an
/// event of a type in F on the same product with a time in (t, t + D] (without D: any time after t); an event at the
/// same instant does not follow. With D, an unfollowed event matches only once now ≥ t + D (its chance to be followed
/// has passed). Follower times are the newest 64 of each (p, f) entry plus its first and last time.</para>
/// <para><b>NextCheckAt</b> of an event node is the earliest instant after now at which time alone could change the
/// result: for <c>within</c> W, an event at t that counts leaves the window just after t + W (one tick later, because
/// t = now − W still counts); for <c>not_followed_by</c> with D, an unfollowed event at t starts to count at t + D. A
/// since/until window does not move with time, so it adds nothing. Null when nothing is pending.</para>
/// <para>Lists are walked by index: a <c>foreach</c> over an <see cref="IReadOnlyList{T}"/> allocates its enumerator,
/// and this runs for every segment each time a contact changes.</para>
/// </remarks>
public static class SegmentEvaluator
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    public static SegmentEvaluation Evaluate(
        SegmentCondition condition,
        ContactState contact,
        IReadOnlyDictionary<string, ProductSnapshot> products,
        DateTimeOffset now)
    {
        switch (condition)
        {
            case AllCondition all:
            {
                var member = true;
                DateTimeOffset? next = null;
                for (var i = 0; i < all.Items.Count; i++)
                {
                    var item = all.Items[i];
                    var result = Evaluate(item, contact, products, now);
                    member &= result.IsMember;
                    next = Earliest(next, result.NextCheckAt);
                }

                return new(member, next);
            }

            case AnyCondition any:
            {
                var member = false;
                DateTimeOffset? next = null;
                for (var i = 0; i < any.Items.Count; i++)
                {
                    var item = any.Items[i];
                    var result = Evaluate(item, contact, products, now);
                    member |= result.IsMember;
                    next = Earliest(next, result.NextCheckAt);
                }

                return new(member, next);
            }

            case NotCondition not:
            {
                var result = Evaluate(not.Inner, contact, products, now);
                return new(!result.IsMember, result.NextCheckAt);
            }

            case EventCondition e:
                return EvaluateEvent(e, contact, products, now);

            default:
                throw new ArgumentException($"Unknown condition node {condition.GetType().Name}.", nameof(condition));
        }
    }

    /// <summary>
    /// The ids of the contact's products whose snapshots <see cref="Evaluate"/> may read: those with an interaction of
    /// an event node's types, for every event node that filters on a name or an attribute (<c>product_id</c> alone needs
    /// no snapshot).
    /// </summary>
    public static IReadOnlySet<string> ProductsNeeded(SegmentCondition condition, ContactState contact)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        CollectProductsNeeded(condition, contact, needed);
        return needed;
    }

    /// <summary>Adds to <paramref name="needed"/> what <see cref="ProductsNeeded"/> answers.</summary>
    public static void CollectProductsNeeded(SegmentCondition condition, ContactState contact, HashSet<string> needed)
    {
        switch (condition)
        {
            case AllCondition all:
                for (var i = 0; i < all.Items.Count; i++)
                {
                    var item = all.Items[i];
                    CollectProductsNeeded(item, contact, needed);
                }

                break;
            case AnyCondition any:
                for (var i = 0; i < any.Items.Count; i++)
                {
                    var item = any.Items[i];
                    CollectProductsNeeded(item, contact, needed);
                }

                break;
            case NotCondition not:
                CollectProductsNeeded(not.Inner, contact, needed);
                break;
            case EventCondition e when NeedsSnapshots(e):
                foreach (var (productId, byType) in contact.Interactions)
                {
                    if (HasAnyType(byType, e.Types))
                    {
                        needed.Add(productId);
                    }
                }

                break;
        }
    }

    private static bool NeedsSnapshots(EventCondition e)
    {
        for (var i = 0; i < e.Product.Count; i++)
        {
            var filter = e.Product[i];
            if (ProductFilterMatcher.NeedsSnapshot(filter))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAnyType(ProductInteractions byType, IReadOnlyList<ProductEventType> types)
    {
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            if (byType.Contains(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="types"/>[<paramref name="index"/>] appeared earlier in the list (it counts once).</summary>
    private static bool IsRepeat(IReadOnlyList<ProductEventType> types, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (types[i] == types[index])
            {
                return true;
            }
        }

        return false;
    }

    private static SegmentEvaluation EvaluateEvent(
        EventCondition e,
        ContactState contact,
        IReadOnlyDictionary<string, ProductSnapshot> products,
        DateTimeOffset now)
    {
        var types = e.Types;
        DateTimeOffset? from = e.Within is { } within ? Earlier(now, within) : e.Since;
        DateTimeOffset? to = e.Within is null ? e.Until : null;
        var follow = e.NotFollowedBy;
        var timeless = from is null && to is null && follow is null;
        long count = 0;
        DateTimeOffset? next = null;
        foreach (var (productId, byType) in contact.Interactions)
        {
            if (!HasAnyType(byType, types)
                || (e.Product.Count > 0 && !ProductFilterMatcher.PassesAll(e.Product, productId, products.GetValueOrDefault(productId))))
            {
                continue;
            }

            for (var t = 0; t < types.Count; t++)
            {
                // A type named twice counts its events once.
                if (IsRepeat(types, t) || !byType.TryGetValue(types[t], out var interaction))
                {
                    continue;
                }

                if (timeless)
                {
                    count += interaction.Count;
                }
                else if (follow is null)
                {
                    count += CountInWindow(interaction, from, to, e.Within, ref next);
                }
                else
                {
                    count += CountUnfollowed(interaction, byType, follow, from, to, e.Within, now, ref next);
                }
            }
        }

        return new(e.Count.IsSatisfiedBy(count), next);
    }

    private static long CountInWindow(Interaction interaction, DateTimeOffset? from, DateTimeOffset? to, TimeSpan? within, ref DateTimeOffset? next)
    {
        if ((from is null || interaction.FirstAt >= from) && (to is null || interaction.LastAt < to))
        {
            // Every event of the entry is in the window, including those older than the kept times: the count is exact,
            // and the first event is the first to leave.
            if (within is { } w)
            {
                next = Earliest(next, Later(interaction.FirstAt, w + OneTick));
            }

            return interaction.Count;
        }

        if ((from is { } start && interaction.LastAt < start) || (to is { } end && interaction.FirstAt >= end))
        {
            return 0;
        }

        long count = 0;
        foreach (var time in interaction.Recent)
        {
            if (InWindow(time, from, to))
            {
                if (count == 0 && within is { } w)
                {
                    next = Earliest(next, Later(time, w + OneTick));
                }

                count++;
            }
        }

        return count;
    }

    private static long CountUnfollowed(
        Interaction interaction,
        ProductInteractions byType,
        FollowRule follow,
        DateTimeOffset? from,
        DateTimeOffset? to,
        TimeSpan? within,
        DateTimeOffset now,
        ref DateTimeOffset? next)
    {
        long count = 0;
        foreach (var time in interaction.Recent)
        {
            if (!InWindow(time, from, to) || IsFollowed(byType, follow, time))
            {
                continue;
            }

            if (follow.Within is { } wait && now < Later(time, wait))
            {
                // Still open: a follower may yet come, so it counts only once the wait is over.
                next = Earliest(next, Later(time, wait));
                continue;
            }

            count++;
            if (within is { } w)
            {
                next = Earliest(next, Later(time, w + OneTick));
            }
        }

        return count;
    }

    private static bool IsFollowed(ProductInteractions byType, FollowRule follow, DateTimeOffset time)
    {
        for (var i = 0; i < follow.Types.Count; i++)
        {
            var type = follow.Types[i];
            if (!byType.TryGetValue(type, out var followers) || followers.LastAt <= time)
            {
                continue;
            }

            if (follow.Within is not { } wait)
            {
                return true;
            }

            var deadline = Later(time, wait);
            if (followers.LastAt <= deadline || (followers.FirstAt > time && followers.FirstAt <= deadline))
            {
                return true;
            }

            var first = FirstAfter(followers.Recent, time);
            if (first < followers.Recent.Count && followers.Recent[first] <= deadline)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The index of the first time strictly after <paramref name="time"/> in an ascending list.</summary>
    private static int FirstAfter(List<DateTimeOffset> times, DateTimeOffset time)
    {
        int low = 0, high = times.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (times[middle] <= time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static bool InWindow(DateTimeOffset time, DateTimeOffset? from, DateTimeOffset? to) =>
        (from is null || time >= from) && (to is null || time < to);

    private static DateTimeOffset? Earliest(DateTimeOffset? left, DateTimeOffset? right) =>
        left is null ? right : right is null ? left : left < right ? left : right;

    // Event times are validated at the door, but a far-future one must not make evaluation throw.
    private static DateTimeOffset Later(DateTimeOffset time, TimeSpan span) =>
        time <= DateTimeOffset.MaxValue - span ? time + span : DateTimeOffset.MaxValue;

    private static DateTimeOffset Earlier(DateTimeOffset time, TimeSpan span) =>
        time >= DateTimeOffset.MinValue + span ? time - span : DateTimeOffset.MinValue;
}
