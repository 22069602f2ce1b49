using System.Diagnostics;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Holds the heap to the budget where Orleans and the GC alone do not. Orleans sheds activations only after a full
/// collection of the heap, and the server GC runs those rarely while a heap of long-lived grains grows (in a flood of
/// new keys, 15 in 11 minutes, with the heap at 2.7 GB against a limit of 1.2 GB): once a second, when the heap in use
/// is above the budget's limit and no full collection has run since the last look, this starts one in the background,
/// so the shedding keeps up and the next collection reclaims what it shed. Background collections leave what they
/// reclaim as holes, still committed: when the committed heap passes <see cref="MemoryBudget.CommittedLimitBytes"/>,
/// this compacts it (a pause of the whole process, as rare as the holes build up).
/// </summary>
internal sealed class MemoryBudgetWatch(MemoryBudget budget, ILogger<MemoryBudgetWatch> logger) : BackgroundService
{
    /// <summary>At most one compaction this often: each is a pause, and holes that come back at once are worth keeping.</summary>
    private static readonly TimeSpan CompactionInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(MemoryBudget.PollingPeriod);
        var seen = GC.CollectionCount(2);
        var compacted = Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var info = GC.GetGCMemoryInfo();
                if (budget.IsExceededBy(info))
                {
                    if (GC.CollectionCount(2) == seen)
                    {
                        GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                    }
                }
                else if (budget.IsOvercommittedBy(info) && compacted.Elapsed >= CompactionInterval)
                {
                    // What is in use is within the limit: the holes are what holds the memory.
                    logger.LogDebug("GC heap committed {Committed} MB, {Free} MB of it free: compacting",
                        MemoryBudget.Megabytes(info.TotalCommittedBytes), MemoryBudget.Megabytes(info.FragmentedBytes));
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    compacted.Restart();
                }

                seen = GC.CollectionCount(2);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
