using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using ProductEvents.Abstractions.Analytics;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Analytics;

public sealed partial class AnalyticsIndex
{
    /// <summary>
    /// The contacts holding entries that a segment condition holds for now, evaluated exactly as a segment evaluates
    /// them (the contact's summary is folded from its entries, products are their current snapshots), in contact order
    /// from <paramref name="cursor"/>. The page stops at <paramref name="limit"/> matches, or when
    /// <paramref name="budget"/> is spent (then it may be short and <c>Next</c> says where to go on). The total is exact
    /// when every contact was evaluated within the budget; otherwise it is estimated from contacts taken evenly over
    /// the whole population, with a 95% error bound.
    /// </summary>
    public ContactSearchAnswer Search(IndexState state, SegmentCondition condition, int limit, int cursor, DateTimeOffset now, int maxInteractions, TimeSpan budget)
    {
        var started = Stopwatch.GetTimestamp();
        var products = new ProductView(this);
        var page = new List<FoundContact>();
        var contacts = _contacts.Count;
        var id = Math.Max(cursor, 0);
        long matchedInPass = 0;
        for (; id < contacts && page.Count < limit; id++)
        {
            if (id % 256 == 0 && Stopwatch.GetElapsedTime(started) > budget)
            {
                break;
            }

            if (_liveOfContact[id] > 0 && Holds(condition, id, products, now, maxInteractions, out var contact))
            {
                matchedInPass++;
                page.Add(new FoundContact(_contacts[id], contact.EventCount, contact.FirstSeenAt, contact.LastSeenAt));
            }
        }

        var next = id < contacts ? id : (int?)null;
        if (cursor <= 0 && next is null)
        {
            return new ContactSearchAnswer(state, [], page, null, matchedInPass, true, 0);
        }

        var (total, exact, error) = CountMatches(condition, products, now, maxInteractions, budget, started);
        return new ContactSearchAnswer(state, [], page, next, total, exact, error);
    }

    /// <summary>
    /// Every contact evaluated while the budget lasts, in an order that spreads evenly over all of them (a stride
    /// coprime with their number), so a stop early leaves a uniform sample.
    /// </summary>
    private (long Total, bool Exact, long Error) CountMatches(
        SegmentCondition condition, ProductView products, DateTimeOffset now, int maxInteractions, TimeSpan budget, long started)
    {
        var contacts = _contacts.Count;
        if (contacts == 0)
        {
            return (0, true, 0);
        }

        var stride = Stride(contacts);
        long evaluated = 0, matched = 0;
        var position = 0L;
        for (var i = 0; i < contacts; i++, position = (position + stride) % contacts)
        {
            if (i % 256 == 0 && i > 0 && Stopwatch.GetElapsedTime(started) > budget)
            {
                break;
            }

            var id = (int)position;
            if (_liveOfContact[id] == 0)
            {
                continue;
            }

            evaluated++;
            if (Holds(condition, id, products, now, maxInteractions, out _))
            {
                matched++;
            }
        }

        long live = LiveContacts;
        if (evaluated >= live)
        {
            return (matched, true, 0);
        }

        // A proportion from a sample without replacement: the normal bound with the finite population correction; the
        // proportion for the bound is pulled off 0 and 1 so a sample without matches still gets a bound.
        var p = (double)matched / evaluated;
        var pBound = (matched + 1.0) / (evaluated + 2.0);
        var correction = live > 1 ? (double)(live - evaluated) / (live - 1) : 0;
        var error = 1.96 * live * Math.Sqrt(pBound * (1 - pBound) / evaluated * correction);
        return ((long)Math.Round(p * live), false, (long)Math.Ceiling(error));
    }

    /// <summary>A step near the golden ratio of <paramref name="n"/> that is coprime with it.</summary>
    private static long Stride(int n)
    {
        if (n <= 2)
        {
            return 1;
        }

        var stride = (long)(n * 0.6180339887) | 1;
        while (Gcd(stride, n) != 1)
        {
            stride++;
        }

        return stride;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private bool Holds(SegmentCondition condition, int contact, ProductView products, DateTimeOffset now, int maxInteractions, out ContactState state)
    {
        state = new ContactState();
        var slots = new List<int>();
        for (var slot = _lastOfContact[contact]; slot != NoSlot; slot = _previousOfContact[slot])
        {
            if (_type[slot] != Forgotten)
            {
                slots.Add(slot);
            }
        }

        // Folded in log order, as the contact grain folds them.
        for (var i = slots.Count - 1; i >= 0; i--)
        {
            var slot = slots[i];
            ContactProjection.Apply(
                state, _products[_product[slot]], (ProductEventType)_type[slot], new DateTimeOffset(_ticks[slot], TimeSpan.Zero), _seq[slot], maxInteractions);
        }

        return SegmentEvaluator.Evaluate(condition, state, products, now).IsMember;
    }

    /// <summary>The products' current snapshots by id, made on demand, as the evaluator reads them.</summary>
    private sealed class ProductView(AnalyticsIndex index) : IReadOnlyDictionary<string, ProductSnapshot>
    {
        public ProductSnapshot this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => index._products;

        public IEnumerable<ProductSnapshot> Values => Enumerable.Range(0, index._products.Count).Select(index.Snapshot).OfType<ProductSnapshot>();

        public int Count => index._products.Count;

        public bool ContainsKey(string key) => index._productIds.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out ProductSnapshot value)
        {
            value = index._productIds.TryGetValue(key, out var product) ? index.Snapshot(product) : null;
            return value is not null;
        }

        public IEnumerator<KeyValuePair<string, ProductSnapshot>> GetEnumerator() =>
            Enumerable.Range(0, index._products.Count)
                .Select(p => (Id: index._products[p], Snapshot: index.Snapshot(p)))
                .Where(p => p.Snapshot is not null)
                .Select(p => KeyValuePair.Create(p.Id, p.Snapshot!))
                .GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
