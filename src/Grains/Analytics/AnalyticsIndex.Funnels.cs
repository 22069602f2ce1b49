using ProductEvents.Abstractions.Analytics;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Analytics;

public sealed partial class AnalyticsIndex
{
    /// <summary>
    /// Each contact with an entry event in the range counts once, with its attempt that reaches the most steps (the
    /// earliest such entry on a tie); each next step is the earliest matching event after the previous one, which is
    /// what reaches furthest. The times from step to step are those of the counted attempt.
    /// </summary>
    /// <param name="parallelFrom">How many contacts the index must hold for the tally to be split over threads (and slots the range, for its scan).</param>
    public (IReadOnlyList<FunnelStep> Steps, IReadOnlyList<FunnelGroup> Breakdown) Funnel(FunnelDefinition funnel, int parallelFrom = ParallelFrom)
    {
        var stepCount = funnel.Steps.Count;
        var matches = new StepMatcher(this, funnel.Steps);
        var from = funnel.Since.UtcTicks;
        var to = funnel.Until.UtcTicks;
        var window = funnel.Within.Ticks;

        // Parts of the range are scanned at once; two parts marking one contact both write true.
        var entered = new bool[_contacts.Count];
        var scans = Split(RunsIn(from, to), parallelFrom);
        Parallel.For(0, scans.Length, new ParallelOptions { TaskScheduler = TaskScheduler.Default }, part =>
        {
            foreach (var (start, end) in scans[part])
            {
                for (var slot = start; slot < end; slot++)
                {
                    if (_ticks[slot] >= from && _ticks[slot] < to && matches.Matches(0, slot))
                    {
                        entered[_contact[slot]] = true;
                    }
                }
            }
        });

        List<AttributeValue?> groupValues = [];
        var groupOfProduct = funnel.Breakdown is { } field ? GroupProducts(field, out groupValues) : null;

        // The contacts are split into ranges tallied on the pool's threads at once, then the tallies are merged. What
        // the ranges share (the columns, the matcher's answers, made before) is only read.
        var parts = entered.Length >= parallelFrom ? Math.Max(2, Environment.ProcessorCount) : 1;
        var tallies = new (FunnelTally Total, Dictionary<int, FunnelTally> ByGroup)[parts];

        // On the pool's threads, not the grain's scheduler (TaskScheduler.Current in a grain turn runs one thing at a time).
        Parallel.For(0, parts, new ParallelOptions { TaskScheduler = TaskScheduler.Default }, part => tallies[part] = TallyFunnel(
            funnel, matches, entered, (int)((long)entered.Length * part / parts), (int)((long)entered.Length * (part + 1) / parts), groupOfProduct));
        var total = tallies[0].Total;
        var byGroup = tallies[0].ByGroup;
        foreach (var (partTotal, partGroups) in tallies.Skip(1))
        {
            total.Merge(partTotal);
            foreach (var (group, tally) in partGroups)
            {
                if (byGroup.TryGetValue(group, out var held))
                {
                    held.Merge(tally);
                }
                else
                {
                    byGroup.Add(group, tally);
                }
            }
        }

        if (groupOfProduct is null)
        {
            return (total.Steps(), []);
        }

        var ordered = byGroup.OrderByDescending(g => g.Value.Entered).ThenBy(g => g.Key).ToList();
        var breakdown = ordered.Take(FunnelDefinition.MaxGroups)
            .Select(g => new FunnelGroup(groupValues[g.Key], false, g.Value.Steps()))
            .ToList();
        if (ordered.Count > FunnelDefinition.MaxGroups)
        {
            var rest = new FunnelTally(stepCount);
            foreach (var (_, tally) in ordered.Skip(FunnelDefinition.MaxGroups))
            {
                rest.Merge(tally);
            }

            breakdown.Add(new FunnelGroup(null, true, rest.Steps()));
        }

        return (total.Steps(), breakdown);
    }

    /// <summary>
    /// From this many contacts in the index, a funnel is tallied in ranges on several threads at once; from this many
    /// slots in a range, a scan of it is split over threads.
    /// </summary>
    private const int ParallelFrom = 50_000;

    private (FunnelTally Total, Dictionary<int, FunnelTally> ByGroup) TallyFunnel(
        FunnelDefinition funnel, StepMatcher matches, bool[] entered, int firstContact, int endContact, int[]? groupOfProduct)
    {
        var stepCount = funnel.Steps.Count;
        var (from, to, window) = (funnel.Since.UtcTicks, funnel.Until.UtcTicks, funnel.Within.Ticks);
        var total = new FunnelTally(stepCount);
        var byGroup = new Dictionary<int, FunnelTally>();
        var slots = new int[16];
        var times = new long[stepCount];
        var best = new long[stepCount];
        for (var contact = firstContact; contact < endContact; contact++)
        {
            if (!entered[contact])
            {
                continue;
            }

            var count = StepSlotsInTimeOrder(contact, matches, ArrivedTooEarlyFor(from), ref slots);
            var bestReached = 0;
            var bestEntry = NoSlot;
            for (var i = 0; i < count && bestReached < stepCount; i++)
            {
                var entry = slots[i];
                var entryTicks = _ticks[entry];
                if (entryTicks < from || entryTicks >= to || !matches.Matches(0, entry))
                {
                    continue;
                }

                times[0] = entryTicks;
                var reached = 1;
                for (var j = i + 1; j < count && reached < stepCount; j++)
                {
                    var slot = slots[j];
                    if (_ticks[slot] > entryTicks + window)
                    {
                        break;
                    }

                    if (matches.Matches(reached, slot) && (!funnel.SameProduct || _product[slot] == _product[entry]))
                    {
                        times[reached++] = _ticks[slot];
                    }
                }

                if (reached > bestReached)
                {
                    bestReached = reached;
                    bestEntry = entry;
                    Array.Copy(times, best, reached);
                }
            }

            total.Add(best, bestReached);
            if (groupOfProduct is not null)
            {
                var group = groupOfProduct[_product[bestEntry]];
                if (!byGroup.TryGetValue(group, out var tally))
                {
                    tally = new FunnelTally(stepCount);
                    byGroup.Add(group, tally);
                }

                tally.Add(best, bestReached);
            }
        }


        return (total, byGroup);
    }

    /// <summary>
    /// The contact's slots that match any step and may lie in the funnel (none that arrived before
    /// <paramref name="arrivedTooEarly"/> can), in time order (log order on equal times), into <paramref name="slots"/>;
    /// answers how many. The chain runs from the newest slot back, and entries mostly arrive in time order, so the
    /// slots are usually in order once reversed; a late entry is moved into place.
    /// </summary>
    private int StepSlotsInTimeOrder(int contact, StepMatcher matches, uint arrivedTooEarly, ref int[] slots)
    {
        var count = 0;
        for (var slot = _lastOfContact[contact]; slot != NoSlot && _received[slot] >= arrivedTooEarly; slot = _previousOfContact[slot])
        {
            if (matches.MatchesAny(slot))
            {
                if (count == slots.Length)
                {
                    Array.Resize(ref slots, count * 2);
                }

                slots[count++] = slot;
            }
        }

        Array.Reverse(slots, 0, count);
        if (count > 256)
        {
            var ticks = _ticks;
            Array.Sort(slots, 0, count, Comparer<int>.Create((a, b) => ticks[a] != ticks[b] ? ticks[a].CompareTo(ticks[b]) : a.CompareTo(b)));
            return count;
        }

        for (var i = 1; i < count; i++)
        {
            // Insertion: cheap for the nearly sorted lists this sees.
            var slot = slots[i];
            var j = i - 1;
            while (j >= 0 && _ticks[slots[j]] > _ticks[slot])
            {
                slots[j + 1] = slots[j];
                j--;
            }

            slots[j + 1] = slot;
        }

        return count;
    }

    /// <summary>Whether a slot matches a step: its type, then its product's filters (decided per product up front).</summary>
    private sealed class StepMatcher
    {
        private readonly AnalyticsIndex _index;
        private readonly IReadOnlyList<FunnelStepDefinition> _steps;
        private readonly bool[][] _types;
        private readonly bool[] _anyType = new bool[ProductEventTypes.MaxId + 1];
        private readonly sbyte[][] _products;

        public StepMatcher(AnalyticsIndex index, IReadOnlyList<FunnelStepDefinition> steps)
        {
            _index = index;
            _steps = steps;
            _types = new bool[steps.Count][];
            _products = new sbyte[steps.Count][];
            for (var s = 0; s < steps.Count; s++)
            {
                _types[s] = new bool[ProductEventTypes.MaxId + 1];
                foreach (var type in steps[s].Types)
                {
                    _types[s][(int)type] = true;
                    _anyType[(int)type] = true;
                }

                // Each product's filters are decided here, once, so the tallying threads only read the answers.
                _products[s] = new sbyte[index._products.Count];
                if (steps[s].Product.Count > 0)
                {
                    for (var p = 0; p < _products[s].Length; p++)
                    {
                        _products[s][p] = ProductFilterMatcher.PassesAll(steps[s].Product, index._products[p], index.Snapshot(p)) ? (sbyte)1 : (sbyte)-1;
                    }
                }
            }
        }

        public bool MatchesAny(int slot)
        {
            if (!_anyType[_index._type[slot]])
            {
                return false;
            }

            for (var s = 0; s < _steps.Count; s++)
            {
                if (Matches(s, slot))
                {
                    return true;
                }
            }

            return false;
        }

        public bool Matches(int step, int slot)
        {
            if (!_types[step][_index._type[slot]])
            {
                return false;
            }

            var filters = _steps[step].Product;
            if (filters.Count == 0)
            {
                return true;
            }

            return _products[step][_index._product[slot]] > 0;
        }
    }

    /// <summary>Contacts per step reached, and the times from each step to the next, for medians.</summary>
    private sealed class FunnelTally(int steps)
    {
        private readonly long[] _reached = new long[steps];
        private readonly List<long>[] _gaps = [.. Enumerable.Range(0, steps).Select(_ => new List<long>())];

        public long Entered => _reached[0];

        public void Add(long[] times, int reached)
        {
            for (var s = 0; s < reached; s++)
            {
                _reached[s]++;
                if (s > 0)
                {
                    _gaps[s].Add(times[s] - times[s - 1]);
                }
            }
        }

        public void Merge(FunnelTally other)
        {
            for (var s = 0; s < _reached.Length; s++)
            {
                _reached[s] += other._reached[s];
                _gaps[s].AddRange(other._gaps[s]);
            }
        }

        public IReadOnlyList<FunnelStep> Steps() =>
            [.. Enumerable.Range(0, _reached.Length).Select(s => new FunnelStep(s, _reached[s], Median(_gaps[s])))];

        private static double? Median(List<long> gaps)
        {
            if (gaps.Count == 0)
            {
                return null;
            }

            gaps.Sort();
            var mid = gaps.Count / 2;
            var ticks = gaps.Count % 2 == 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2.0;
            return ticks / TimeSpan.TicksPerSecond;
        }
    }
}
