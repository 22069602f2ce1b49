using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ProductEvents.Grains.Projections;

/// <summary>
/// What a projection does when entries it includes leave the log (an erasure, retention): forget everything, rebuild
/// from what the log still holds, or make sure its stored snapshot keeps what it holds before they go.
/// </summary>
public abstract partial class ProjectionGrain<TState>
{
    /// <summary>
    /// Drops the state and its stored snapshot; the next call starts from the log. The snapshot's version is read afresh,
    /// so a snapshot another activation wrote is deleted all the same.
    /// </summary>
    protected async Task DropAsync()
    {
        var stored = new GrainState<TState>(new TState());
        await Storage.ReadStateAsync(stateName, this.GetGrainId(), stored);
        if (stored.RecordExists)
        {
            await Storage.ClearStateAsync(stateName, this.GetGrainId(), stored);
        }

        _snapshot.State = new TState();
        _snapshot.ETag = null;
        _snapshot.RecordExists = false;
        _loaded = false;
        _sinceSnapshot = 0;
        _changedBesideEntries = false;
        _derivedPending = false;
    }

    /// <summary>
    /// Replaces the state with one replayed from the log, from its first entry: entries that left it leave the state.
    /// <paramref name="carryOver"/> copies what is not derived from entries from the old state to the new one. The new
    /// state is then stored (over the old snapshot, so there is no moment without one).
    /// </summary>
    protected async Task RebuildAsync(Action<TState, TState> carryOver)
    {
        await EnsureLoadedAsync();
        var old = State;
        _snapshot.State = new TState();
        await CatchUpAsync(CancellationToken.None);
        carryOver(old, State);
        MarkChanged();
        await SaveSnapshotAsync();
    }

    /// <summary>Stores the snapshot now if it holds entries the stored one does not; throws when it cannot.</summary>
    protected async Task SaveSnapshotAsync()
    {
        await EnsureLoadedAsync();
        if (_sinceSnapshot == 0)
        {
            return;
        }

        await Storage.WriteStateAsync(stateName, this.GetGrainId(), _snapshot);
        (_sinceSnapshot, _changedBesideEntries) = (0, false);
    }
}
