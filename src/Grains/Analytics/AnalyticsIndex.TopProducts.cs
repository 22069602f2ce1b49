using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Grains.Analytics;

public sealed partial class AnalyticsIndex
{
    /// <summary>
    /// The products with the most entries of the query's type in its range; ties go to the product seen first. With an
    /// abandonment window, an entry counts only when the same contact has no entry of the "unless" types on the same
    /// product after it (same instant excluded) and within the window; such an entry counts only once its window has
    /// closed by <paramref name="now"/>.
    /// </summary>
    /// <param name="parallelFrom">How many slots the range must hold for the scan to be split over threads.</param>
    public IReadOnlyList<TopProduct> TopProducts(TopProductsQuery query, DateTimeOffset now, int parallelFrom = ParallelFrom)
    {
        var type = (byte)query.Type;
        var unless = new bool[ProductEventTypes.MaxId + 1];
        foreach (var t in query.AbandonedUnlessTypes)
        {
            unless[(int)t] = true;
        }

        var window = query.AbandonedWithin?.Ticks;
        var nowTicks = now.UtcTicks;
        var (from, to) = (query.Since.UtcTicks, query.Until.UtcTicks);

        // Parts of the range are counted on the pool's threads at once (what they share is only read), then summed.
        var parts = Split(RunsIn(from, to), parallelFrom);
        var partCounts = new long[parts.Length][];
        Parallel.For(0, parts.Length, new ParallelOptions { TaskScheduler = TaskScheduler.Default }, part =>
        {
            var counted = partCounts[part] = new long[_products.Count];
            foreach (var (start, end) in parts[part])
            {
                for (var slot = start; slot < end; slot++)
                {
                    var ticks = _ticks[slot];
                    if (_type[slot] != type || ticks < from || ticks >= to)
                    {
                        continue;
                    }

                    if (window is { } w && (ticks + w > nowTicks || IsFollowed(slot, unless, w)))
                    {
                        continue;
                    }

                    counted[_product[slot]]++;
                }
            }
        });
        var counts = partCounts[0];
        foreach (var counted in partCounts.Skip(1))
        {
            for (var p = 0; p < counts.Length; p++)
            {
                counts[p] += counted[p];
            }
        }

        var top = new PriorityQueue<int, (long Count, int Product)>(Comparer<(long Count, int Product)>.Create(
            (a, b) => a.Count != b.Count ? a.Count.CompareTo(b.Count) : b.Product.CompareTo(a.Product)));
        for (var p = 0; p < counts.Length; p++)
        {
            if (counts[p] == 0)
            {
                continue;
            }

            if (top.Count < query.Limit)
            {
                top.Enqueue(p, (counts[p], p));
            }
            else
            {
                top.EnqueueDequeue(p, (counts[p], p));
            }
        }

        var answer = new List<TopProduct>(top.Count);
        while (top.TryDequeue(out var product, out var key))
        {
            var snapshot = Snapshot(product);
            answer.Add(new TopProduct(_products[product], key.Count, snapshot?.Name, snapshot?.Attributes ?? new Dictionary<string, AttributeValue>()));
        }

        answer.Reverse();
        return answer;
    }

    /// <summary>Whether the slot's contact has an entry of the given types on the slot's product in (t, t + window].</summary>
    private bool IsFollowed(int slot, bool[] types, long window)
    {
        var product = _product[slot];
        var from = _ticks[slot];
        var to = from + window;
        var arrivedTooEarly = ArrivedTooEarlyFor(from);
        for (var other = _lastOfContact[_contact[slot]]; other != NoSlot && _received[other] >= arrivedTooEarly; other = _previousOfContact[other])
        {
            if (types[_type[other]] && _product[other] == product && _ticks[other] > from && _ticks[other] <= to)
            {
                return true;
            }
        }

        return false;
    }
}
