using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Projections;

/// <summary>
/// A grain whose state is a cache of the event log: it applies committed entries in log order, keeps a snapshot in
/// grain storage (write-behind) and, on activation, replays the entries its snapshot does not include.
/// </summary>
public abstract class ProjectionGrain<TState>(
    IPersistentState<TState> state,
    IOptions<ProjectionOptions> options,
    ILogger logger) : Grain
    where TState : class, IProjectionState, new()
{
    private bool _dirty;

    /// <summary>Entries were applied by a catch-up (activation, merge) and <see cref="OnAppliedAsync"/> has not run since.</summary>
    private bool _caughtUp;

    protected TState State => state.State;

    protected ProjectionOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var replayed = await CatchUpAsync(cancellationToken);
        if (replayed > 0)
        {
            logger.LogInformation("{Grain} replayed {Count} log entries after its snapshot", this.GetPrimaryKeyString(), replayed);
        }

        var interval = Options.SnapshotInterval;
        if (interval > TimeSpan.Zero)
        {
            this.RegisterGrainTimer(FlushAsync, interval, interval);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        FlushAsync(cancellationToken);

    /// <summary>Applies the entries this grain has not seen yet; replays and redeliveries are skipped by log position.</summary>
    public virtual async Task ApplyAsync(ProductEventRecord[] events)
    {
        var applied = false;
        foreach (var entry in events)
        {
            if (entry.Seq > state.State.AppliedSeq)
            {
                Apply(entry);
                applied = true;
            }
        }

        if (applied || _caughtUp)
        {
            // An activation usually replays the very entries it was activated to apply: they count as applied here.
            _dirty = true;
            _caughtUp = false;
            await OnAppliedAsync();
            if (Options.SnapshotInterval == TimeSpan.Zero)
            {
                await FlushAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Applies the log entries after the state's position that it does not include yet; answers how many.</summary>
    protected async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        await foreach (var entry in ReadEntriesAfterAsync(state.State.AppliedSeq, cancellationToken))
        {
            if (entry.Seq > state.State.AppliedSeq)
            {
                Apply(entry);
                applied++;
            }
        }

        _dirty |= applied > 0;
        _caughtUp |= applied > 0;
        return applied;
    }

    /// <summary>For changes made outside <see cref="Apply"/>: the next flush writes the snapshot.</summary>
    protected void MarkChanged() => _dirty = true;

    protected abstract IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken);

    protected abstract void Apply(ProductEventRecord entry);

    /// <summary>Runs after <see cref="ApplyAsync"/> changed the state (directly or by a catch-up before it): where derived work starts.</summary>
    protected virtual Task OnAppliedAsync() => Task.CompletedTask;

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // The log still holds every entry, so a lost snapshot only lengthens the next replay.
            _dirty = true;
            logger.LogWarning(ex, "Snapshot of {Grain} not written; will retry", this.GetPrimaryKeyString());
        }
    }
}
