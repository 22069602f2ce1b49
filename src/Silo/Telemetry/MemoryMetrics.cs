using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Silo.Telemetry;

/// <summary>
/// The silo's memory budget and the heap size at which it sheds idle activations, beside the runtime's working set and
/// Orleans' activation count (<c>orleans_catalog_activations</c>).
/// </summary>
public static class MemoryMetrics
{
    private static MemoryBudget? _budget;

    static MemoryMetrics()
    {
        ProductEventsTelemetry.Meter.CreateObservableGauge("productevents.memory.budget", () => Measure(b => b.BudgetBytes), "By",
            "The silo's memory budget (ProductEvents:Memory:BudgetMegabytes, else the memory available to the process).");
        ProductEventsTelemetry.Meter.CreateObservableGauge("productevents.memory.heap_limit", () => Measure(b => b.HeapLimitBytes), "By",
            "GC heap in use above which the silo deactivates idle grains, oldest first.");
    }

    /// <summary>Reports <paramref name="budget"/> from now on (the newest silo's, when a test runs several in one process).</summary>
    public static void Observe(MemoryBudget budget) => Volatile.Write(ref _budget, budget);

    private static IEnumerable<Measurement<long>> Measure(Func<MemoryBudget, long> value) =>
        Volatile.Read(ref _budget) is { } budget ? [new Measurement<long>(value(budget))] : [];
}
