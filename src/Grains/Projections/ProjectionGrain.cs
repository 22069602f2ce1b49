using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ProductEvents.Grains.Projections;

/// <summary>
/// A grain whose state is a cache of the event log: it applies committed entries in log order, keeps a snapshot in
/// grain storage (written every <see cref="ProjectionOptions.SnapshotEveryEntries"/> entries, on a long timer and on
/// deactivation, but for a collected grain with few unsaved entries) and, when loaded, replays the entries its snapshot does not include. A grain told that its first
/// entries are arriving (the log holds none before them) skips both reads: there can be neither snapshot nor history.
/// </summary>
public abstract partial class ProjectionGrain<TState>(string stateName, IOptions<ProjectionOptions> options, ILogger logger) : Grain
    where TState : class, IProjectionState, new()
{
    private readonly GrainState<TState> _snapshot = new(new TState());
    private IGrainStorage? _storage;
    private bool _loaded;
    private int _sinceSnapshot;

    /// <summary>State not derived from log entries (see <see cref="MarkChanged"/>) is not in the stored snapshot.</summary>
    private bool _changedBesideEntries;

    /// <summary>
    /// Entries were applied and <see cref="OnAppliedAsync"/> has not completed since: they came by a catch-up (loading,
    /// merge), or it failed and the writer calls again with the same entries.
    /// </summary>
    private bool _derivedPending;

    protected TState State => _snapshot.State!;

    protected ProjectionOptions Options => options.Value;

    private IGrainStorage Storage => _storage ??= ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Snapshots);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = Options.SnapshotInterval;
        if (interval > TimeSpan.Zero)
        {
            this.RegisterGrainTimer(FlushAsync, interval, interval);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes the snapshot, unless the grain is collected (idle, shed under the memory budget, or its silo stopping)
    /// with fewer than <see cref="ProjectionOptions.CollectedSnapshotMinEntries"/> unsaved entries and nothing else
    /// unsaved: its next activation replays those few from the log, one write fewer for every grain that goes, however
    /// many keys arrive. A silo stopping with 150,000 grains active would otherwise write as many snapshots before it
    /// can hand its grains over, longer than a graceful stop lasts.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        reason.ReasonCode is DeactivationReasonCode.ActivationIdle or DeactivationReasonCode.HighMemoryPressure
                or DeactivationReasonCode.ShuttingDown
            && !_changedBesideEntries && _sinceSnapshot < Options.CollectedSnapshotMinEntries
            ? Task.CompletedTask
            : FlushAsync(cancellationToken);

    /// <summary>
    /// Applies the entries this grain has not seen yet; replays and redeliveries are skipped by log position.
    /// <paramref name="firstEntries"/>: the log holds nothing for this key before these entries.
    /// </summary>
    public async Task ApplyAsync(ProductEventRecord[] events, bool firstEntries)
    {
        await EnsureLoadedAsync(firstEntries);
        await BeforeApplyAsync(events);
        var applied = 0;
        foreach (var entry in events)
        {
            if (entry.Seq > State.AppliedSeq)
            {
                Apply(entry);
                applied++;
            }
        }

        if (applied > 0 || _derivedPending)
        {
            // A catch-up usually applies the very entries that arrive here: they count as applied all the same.
            _sinceSnapshot += applied;
            _derivedPending = true;
            await OnAppliedAsync();
            _derivedPending = false;
            if (_sinceSnapshot >= Options.SnapshotEveryEntries)
            {
                await FlushAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Reads the snapshot and replays the log after it, once per activation; every read path calls it first.</summary>
    protected async ValueTask EnsureLoadedAsync(bool firstEntries = false)
    {
        if (_loaded)
        {
            return;
        }

        if (!firstEntries)
        {
            await Storage.ReadStateAsync(stateName, this.GetGrainId(), _snapshot);
            _snapshot.State ??= new TState();
            var replayed = await CatchUpAsync(CancellationToken.None);
            if (replayed > 0)
            {
                logger.LogDebug("{Grain} replayed {Count} log entries after its snapshot", this.GetPrimaryKeyString(), replayed);
            }
        }

        _loaded = true;
    }

    /// <summary>Applies the log entries after the state's position that it does not include yet; answers how many.</summary>
    protected async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        await foreach (var entry in ReadEntriesAfterAsync(State.AppliedSeq, cancellationToken))
        {
            if (entry.Seq > State.AppliedSeq)
            {
                Apply(entry);
                applied++;
            }
        }

        _sinceSnapshot += applied;
        _derivedPending |= applied > 0;
        return applied;
    }

    /// <summary>For changes made outside <see cref="Apply"/>: the next flush writes the snapshot, a collection too.</summary>
    protected void MarkChanged()
    {
        _sinceSnapshot = Math.Max(_sinceSnapshot, 1);
        _changedBesideEntries = true;
    }

    protected abstract IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken);

    protected abstract void Apply(ProductEventRecord entry);

    /// <summary>Runs once the state is loaded, before new entries are applied.</summary>
    protected virtual Task BeforeApplyAsync(ProductEventRecord[] events) => Task.CompletedTask;

    /// <summary>Runs after <see cref="ApplyAsync"/> changed the state (directly or by a catch-up before it): where derived work starts.</summary>
    protected virtual Task OnAppliedAsync() => Task.CompletedTask;

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_sinceSnapshot == 0 || !_loaded)
        {
            return;
        }

        var (unsaved, beside) = (_sinceSnapshot, _changedBesideEntries);
        (_sinceSnapshot, _changedBesideEntries) = (0, false);
        try
        {
            await Storage.WriteStateAsync(stateName, this.GetGrainId(), _snapshot);
        }
        catch (InconsistentStateException ex)
        {
            // Another snapshot is stored than the one this activation started from (its history left the log, or
            // another activation wrote it): start again from the stored one and the log.
            logger.LogWarning(ex, "Snapshot of {Grain} conflicts with the stored one; reloading", this.GetPrimaryKeyString());
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            // The log still holds every entry, so a lost snapshot only lengthens the next replay.
            _sinceSnapshot += unsaved;
            _changedBesideEntries |= beside;
            logger.LogWarning(ex, "Snapshot of {Grain} not written; will retry", this.GetPrimaryKeyString());
        }
    }
}
