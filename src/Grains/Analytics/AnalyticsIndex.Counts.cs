using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Grains.Analytics;

public sealed partial class AnalyticsIndex
{
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

        // The group of each product, numbered; -1 when not grouping.
        List<AttributeValue?> groupValues = [];
        var groupOfProduct = query.GroupBy is { } field ? GroupProducts(field, out groupValues) : null;
        var counts = new Dictionary<(int Type, int Group), long[]>();
        ForEachSlotIn(boundaries[0], boundaries[^1], slot =>
        {
            var type = _type[slot];
            if (!wanted[type] || (product != NoSlot && _product[slot] != product))
            {
                return;
            }

            var bucket = TimeBuckets.BucketOf(boundaries, _ticks[slot]);
            if (bucket < 0)
            {
                return;
            }

            var key = (type, groupOfProduct is null ? -1 : groupOfProduct[_product[slot]]);
            if (!counts.TryGetValue(key, out var series))
            {
                series = new long[buckets];
                counts.Add(key, series);
            }

            series[bucket]++;
        });

        if (groupOfProduct is null)
        {
            return [.. types.Distinct().Select(t => Series(t, null, false, counts.GetValueOrDefault(((int)t, -1)) ?? new long[buckets]))];
        }

        // The largest groups over every type get series of their own; the rest are summed per type.
        var kept = counts
            .GroupBy(c => c.Key.Group)
            .Select(g => (Group: g.Key, Total: g.Sum(c => c.Value.Sum())))
            .OrderByDescending(g => g.Total).ThenBy(g => g.Group)
            .Take(query.MaxGroups)
            .Select(g => g.Group)
            .ToHashSet();
        var series = new List<CountSeries>();
        foreach (var type in types.Distinct())
        {
            var rest = new long[buckets];
            var hasRest = false;
            foreach (var ((t, group), values) in counts.OrderBy(c => c.Key.Group))
            {
                if (t != (int)type)
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
        // Boundaries fall on whole minutes, but the range's end need not: its last part minute is read from the entries.
        var firstMinute = boundaries[0] / TimeSpan.TicksPerMinute;
        var end = boundaries[^1];
        var endMinute = end / TimeSpan.TicksPerMinute;

        // Walk whichever is shorter: the range's minutes or the minutes holding entries.
        IEnumerable<long> minutes = endMinute - firstMinute <= _minuteCounts.Count
            ? Range(firstMinute, endMinute)
            : _minuteCounts.Keys.Where(m => m >= firstMinute && m < endMinute);
        foreach (var minute in minutes)
        {
            if (!_minuteCounts.TryGetValue(minute, out var counts))
            {
                continue;
            }

            var bucket = TimeBuckets.BucketOf(boundaries, minute * TimeSpan.TicksPerMinute);
            for (var type = 1; type < counts.Length; type++)
            {
                if (wanted[type] && counts[type] != 0)
                {
                    byType[type][bucket] += counts[type];
                }
            }
        }

        var partFrom = Math.Max(endMinute * TimeSpan.TicksPerMinute, boundaries[0]);
        if (partFrom < end)
        {
            var bucket = boundaries.Length - 2;
            ForEachSlotIn(partFrom, end, slot =>
            {
                if (wanted[_type[slot]])
                {
                    byType[_type[slot]][bucket]++;
                }
            });
        }
    }

    private static IEnumerable<long> Range(long from, long to)
    {
        for (var i = from; i < to; i++)
        {
            yield return i;
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

    /// <summary>Calls <paramref name="visit"/> for every held entry whose event time may lie in [from, to) (it checks the time itself).</summary>
    private void ForEachSlotIn(long from, long to, Action<int> visit)
    {
        var firstDay = DayOf(from);
        var lastDay = DayOf(to - 1);
        if (lastDay - firstDay > _lastOfDay.Count)
        {
            foreach (var (day, last) in _lastOfDay)
            {
                if (day >= firstDay && day <= lastDay)
                {
                    VisitDay(last, from, to, visit);
                }
            }

            return;
        }

        for (var day = firstDay; day <= lastDay; day++)
        {
            if (_lastOfDay.TryGetValue(day, out var last))
            {
                VisitDay(last, from, to, visit);
            }
        }
    }

    private void VisitDay(int last, long from, long to, Action<int> visit)
    {
        for (var slot = last; slot != NoSlot; slot = _previousOfDay[slot])
        {
            var ticks = _ticks[slot];
            if (_type[slot] != Forgotten && ticks >= from && ticks < to)
            {
                visit(slot);
            }
        }
    }
}
