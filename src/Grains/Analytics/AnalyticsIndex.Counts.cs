using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Grains.Analytics;

public sealed partial class AnalyticsIndex
{
    /// <summary>Series per group: one per event type id (0 unused).</summary>
    private const int Width = ProductEventTypes.MaxId + 1;

    /// <summary>
    /// Counts per bucket and type over [boundaries[0], boundaries[^1]). Without a product and a grouping they come from
    /// the counts per minute; otherwise from the entries of the days the range touches.
    /// </summary>
    public IReadOnlyList<CountSeries> Counts(long[] boundaries, CountsQuery query)
    {
        var types = query.Types.Count > 0 ? query.Types : ProductEventTypes.All;
        var wanted = new bool[ProductEventTypes.MaxId + 1];
        foreach (var type in types)
        {
            wanted[(int)type] = true;
        }

        var buckets = boundaries.Length - 1;
        if (query.ProductId is null && query.GroupBy is null)
        {
            var byType = new long[ProductEventTypes.MaxId + 1][];
            foreach (var type in types)
            {
                byType[(int)type] ??= new long[buckets];
            }

            CountFromMinutes(boundaries, wanted, byType);
            return [.. types.Distinct().Select(t => Series(t, null, false, byType[(int)t]))];
        }

        var product = NoSlot;
        if (query.ProductId is { } productId && !_productIds.TryGetValue(productId, out product))
        {
            return [.. types.Distinct().Select(t => Series(t, null, false, new long[buckets]))];
        }

        // One series per (group, type) at index group * Width + type; a single group when not grouping.
        List<AttributeValue?> groupValues = [null];
        var groupOfProduct = query.GroupBy is { } field ? GroupProducts(field, out groupValues) : null;
        var counts = new long[groupValues.Count * Width][];
        var (from, to) = (boundaries[0], boundaries[^1]);
        foreach (var (start, end) in RunsIn(from, to))
        {
            for (var slot = start; slot < end; slot++)
            {
                var type = _type[slot];
                var ticks = _ticks[slot];
                if (!wanted[type] || ticks < from || ticks >= to || (product != NoSlot && _product[slot] != product))
                {
                    continue;
                }

                var key = (groupOfProduct is null ? 0 : groupOfProduct[_product[slot]]) * Width + type;
                (counts[key] ??= new long[buckets])[TimeBuckets.BucketOf(boundaries, ticks)]++;
            }
        }

        if (groupOfProduct is null)
        {
            return [.. types.Distinct().Select(t => Series(t, null, false, counts[(int)t] ?? new long[buckets]))];
        }

        // The largest groups over every type get series of their own; the rest are summed per type.
        var kept = Enumerable.Range(0, groupValues.Count)
            .Select(g => (Group: g, Total: Enumerable.Range(g * Width, Width).Sum(k => counts[k]?.Sum() ?? 0)))
            .Where(g => g.Total > 0)
            .OrderByDescending(g => g.Total).ThenBy(g => g.Group)
            .Take(query.MaxGroups)
            .Select(g => g.Group)
            .ToHashSet();
        var series = new List<CountSeries>();
        foreach (var type in types.Distinct())
        {
            var rest = new long[buckets];
            var hasRest = false;
            for (var group = 0; group < groupValues.Count; group++)
            {
                if (counts[group * Width + (int)type] is not { } values)
                {
                    continue;
                }

                if (kept.Contains(group))
                {
                    series.Add(Series(type, groupValues[group], false, values));
                }
                else
                {
                    hasRest = true;
                    for (var i = 0; i < buckets; i++)
                    {
                        rest[i] += values[i];
                    }
                }
            }

            if (hasRest)
            {
                series.Add(Series(type, null, true, rest));
            }
        }

        return series;
    }

    private static CountSeries Series(ProductEventType type, AttributeValue? group, bool rest, long[] counts) =>
        new(type, group, rest, counts, counts.Sum());

    private void CountFromMinutes(long[] boundaries, bool[] wanted, long[][] byType)
    {
        // Every boundary falls on a whole minute (TimeBuckets rounds the range's ends out to minutes), so minutes are
        // walked in order with the bucket moving forward.
        var firstMinute = boundaries[0] / TimeSpan.TicksPerMinute;
        var endMinute = boundaries[^1] / TimeSpan.TicksPerMinute;
        var bucket = 0;
        for (var hour = firstMinute / MinutesPerHour; hour * MinutesPerHour < endMinute; hour++)
        {
            if (!_minuteCounts.TryGetValue(hour, out var counts))
            {
                continue;
            }

            var from = Math.Max(firstMinute, hour * MinutesPerHour);
            var to = Math.Min(endMinute, (hour + 1) * MinutesPerHour);
            for (var minute = from; minute < to; minute++)
            {
                var start = minute * TimeSpan.TicksPerMinute;
                while (boundaries[bucket + 1] <= start)
                {
                    bucket++;
                }

                var offset = (int)(minute - hour * MinutesPerHour) * ProductEventTypes.MaxId;
                for (var type = 1; type <= ProductEventTypes.MaxId; type++)
                {
                    var n = counts[offset + type - 1];
                    if (n != 0 && wanted[type])
                    {
                        byType[type][bucket] += n;
                    }
                }
            }
        }
    }

    /// <summary>Each product's group number for the field (its current value of it), and the values by number.</summary>
    private int[] GroupProducts(string field, out List<AttributeValue?> values)
    {
        var numbers = new Dictionary<AttributeValue, int>();
        values = [];
        var noValue = -1;
        var groups = new int[_products.Count];
        for (var p = 0; p < groups.Length; p++)
        {
            var value = GroupValue(p, field);
            int number;
            if (value is null)
            {
                if (noValue < 0)
                {
                    noValue = values.Count;
                    values.Add(null);
                }

                number = noValue;
            }
            else if (!numbers.TryGetValue(value.Value, out number))
            {
                number = values.Count;
                numbers.Add(value.Value, number);
                values.Add(value);
            }

            groups[p] = number;
        }

        return groups;
    }

    /// <summary>The product's current value of an attribute, or of <c>name</c> / <c>product_id</c>; null when it has none.</summary>
    private AttributeValue? GroupValue(int product, string field)
    {
        var state = _productStates[product];
        return field switch
        {
            "product_id" => AttributeValue.FromString(_products[product]),
            "name" when state.Name is { } name => name.Value,
            "name" => null,
            _ => state.Attributes.TryGetValue(field, out var stamped) && stamped.Value.Kind != AttributeKind.Null ? stamped.Value : null,
        };
    }

    /// <summary>
    /// The runs split into parts of about as many slots each, one part per processor when they hold at least
    /// <paramref name="parallelFrom"/> slots (else one part), for scans on several threads at once.
    /// </summary>
    private static List<(int Start, int End)>[] Split(List<(int Start, int End)> runs, int parallelFrom)
    {
        long slots = 0;
        foreach (var (start, end) in runs)
        {
            slots += end - start;
        }

        var count = slots >= parallelFrom ? Math.Max(2, Environment.ProcessorCount) : 1;
        var parts = new List<(int Start, int End)>[count];
        for (var i = 0; i < count; i++)
        {
            parts[i] = [];
        }

        // Part p holds the slots at positions [slots * p / count, slots * (p + 1) / count) of the runs laid end to end.
        long position = 0;
        var part = 0;
        foreach (var (runStart, runEnd) in runs)
        {
            var start = runStart;
            while (start < runEnd)
            {
                while (part < count - 1 && position >= slots * (part + 1) / count)
                {
                    part++;
                }

                var room = part == count - 1 ? runEnd - start : (int)Math.Min(runEnd - start, (slots * (part + 1) / count) - position);
                parts[part].Add((start, start + room));
                position += room;
                start += room;
            }
        }

        return parts;
    }

    /// <summary>
    /// The runs of slots of the days of event time that [from, to) touches: every held entry in the range is in one, and
    /// the caller checks each slot's time (and skips forgotten slots, whose type is 0).
    /// </summary>
    private List<(int Start, int End)> RunsIn(long from, long to)
    {
        var runs = new List<(int Start, int End)>();
        var firstDay = DayOf(from);
        var lastDay = DayOf(to - 1);
        IEnumerable<int> days = lastDay - firstDay > _days.Count
            ? _days.Keys.Where(d => d >= firstDay && d <= lastDay)
            : Enumerable.Range(firstDay, lastDay - firstDay + 1);
        foreach (var day in days)
        {
            if (_days.TryGetValue(day, out var dayRuns))
            {
                for (var r = 0; r < dayRuns.Count; r++)
                {
                    runs.Add((dayRuns.Start(r), dayRuns.End(r)));
                }
            }
        }

        return runs;
    }
}
