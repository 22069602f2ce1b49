using Orleans.Configuration;
using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// A silo's memory budget as Orleans' activation collection settings. Orleans sheds idle activations, oldest first,
/// once the GC heap in use (committed less fragmented) passes a percentage of the memory available to the process
/// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: a container's limit or a heap hard limit, else the
/// machine's), until it is back under a lower one. The budget is a size for the whole process, so the heap is given a
/// share of it and the percentages are that share of the available memory: the rest of the budget is the runtime, the
/// native buffers (PostgreSQL connections, sockets) and the heap's free space between collections.
/// </summary>
/// <param name="BudgetBytes">The budget the silo holds to; never above <paramref name="AvailableBytes"/>.</param>
/// <param name="AvailableBytes">The memory available to the process.</param>
public sealed record MemoryBudget(long BudgetBytes, long AvailableBytes)
{
    /// <summary>Heap in use, as a share of the budget, above which idle activations are shed.</summary>
    public const double HeapLimitShare = 0.45;

    /// <summary>Heap in use, as a share of the budget, that shedding brings it back to.</summary>
    public const double HeapTargetShare = 0.33;

    /// <summary>
    /// Heap committed, as a share of the budget, above which the heap is compacted: what shedding frees is left as
    /// holes by the background collections, still committed (800 MB of them beside 1 GB in use, in a flood of new keys).
    /// </summary>
    public const double CommittedLimitShare = 0.75;

    /// <summary>How often Orleans compares the heap with the limit (it sheds at most once per full collection of the heap).</summary>
    public static readonly TimeSpan PollingPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The grains there is one of per product or contact: the ones whose number grows with the keys.</summary>
    public static readonly IReadOnlyList<Type> PerKeyGrains = [typeof(ProductGrain), typeof(ContactGrain), typeof(AutomationCapGrain)];

    /// <summary>
    /// Grain locations a silo caches per MB of budget (a few hundred bytes each, so about 2% of it): Orleans' default of
    /// a million in every silo of a cluster would be a quarter of a 2 GB budget once that many keys were called.
    /// </summary>
    public const int DirectoryCacheEntriesPerMegabyte = 50;

    private const long Megabyte = 1024 * 1024;

    /// <summary>The configured budget, or the available memory when none is configured or the budget exceeds it.</summary>
    public static MemoryBudget Of(MemoryOptions options, long availableBytes) =>
        new(options.BudgetMegabytes == 0 ? availableBytes : Math.Min(availableBytes, options.BudgetMegabytes * Megabyte), availableBytes);

    /// <summary>The budget configured exceeds the memory available, which then stands in for it.</summary>
    public static bool ExceedsAvailable(MemoryOptions options, long availableBytes) => options.BudgetMegabytes * Megabyte > availableBytes;

    public long HeapLimitBytes => (long)(BudgetBytes * HeapLimitShare);

    public long HeapTargetBytes => (long)(BudgetBytes * HeapTargetShare);

    public long CommittedLimitBytes => (long)(BudgetBytes * CommittedLimitShare);

    /// <summary>The heap in use at the last collection (committed less fragmented, as Orleans counts it) is above <see cref="HeapLimitBytes"/>.</summary>
    public bool IsExceededBy(GCMemoryInfo info) => info.TotalCommittedBytes - info.FragmentedBytes > HeapLimitBytes;

    /// <summary>The heap committed at the last collection, holes included, is above <see cref="CommittedLimitBytes"/>.</summary>
    public bool IsOvercommittedBy(GCMemoryInfo info) => info.TotalCommittedBytes > CommittedLimitBytes;

    /// <summary>Orleans' <see cref="GrainCollectionOptions.MemoryUsageLimitPercentage"/>: <see cref="HeapLimitBytes"/> of the available memory.</summary>
    public double LimitPercentage => 100.0 * HeapLimitBytes / AvailableBytes;

    /// <summary>Orleans' <see cref="GrainCollectionOptions.MemoryUsageTargetPercentage"/>: <see cref="HeapTargetBytes"/> of the available memory.</summary>
    public double TargetPercentage => 100.0 * HeapTargetBytes / AvailableBytes;

    /// <summary>
    /// Sheds idle activations under the budget, and collects the grains of <see cref="PerKeyGrains"/> once idle for
    /// <paramref name="grainAge"/> (checked every half of it, at most every minute).
    /// </summary>
    public void ApplyTo(GrainCollectionOptions collection, TimeSpan grainAge)
    {
        collection.EnableActivationSheddingOnMemoryPressure = true;
        collection.MemoryUsageLimitPercentage = LimitPercentage;
        collection.MemoryUsageTargetPercentage = TargetPercentage;
        collection.MemoryUsagePollingPeriod = PollingPeriod;
        collection.CollectionQuantum = TimeSpan.FromTicks(Math.Min(GrainCollectionOptions.DEFAULT_COLLECTION_QUANTUM.Ticks, grainAge.Ticks / 2));
        foreach (var grain in PerKeyGrains)
        {
            collection.ClassSpecificCollectionAge[grain.FullName!] = grainAge;
        }
    }

    /// <summary>Bounds the cache of where other silos' grains are active (a cluster's; one silo looks up none).</summary>
    public void ApplyTo(GrainDirectoryOptions directory) =>
        directory.CacheSize = (int)Math.Min(GrainDirectoryOptions.DEFAULT_CACHE_SIZE, Megabytes(BudgetBytes) * DirectoryCacheEntriesPerMegabyte);

    /// <summary>The memory available to this process as the GC sees it (its available bytes): what Orleans' percentages are of.</summary>
    public static long OfProcess() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static long Megabytes(long bytes) => bytes / Megabyte;
}
