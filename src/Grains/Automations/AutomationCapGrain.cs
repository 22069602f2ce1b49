namespace ProductEvents.Grains.Automations;

/// <summary>One contact's frequency cap for one automation; one grain per pair keeps the check and the record atomic.</summary>
public sealed class AutomationCapGrain(
    [PersistentState("cap", StorageNames.Snapshots)] IPersistentState<AutomationCapState> state) : Grain, IAutomationCapGrain, IAutomationCapErasure
{
    public async Task<bool> TryTakeAsync(string runId, int max, TimeSpan per, DateTimeOffset now)
    {
        var before = state.State.Sends.Count;
        var known = state.State.Sends.ContainsKey(runId);
        var taken = CapWindow.TryTake(state.State.Sends, runId, max, per, now);
        if (!known && (taken || state.State.Sends.Count != before))
        {
            await state.WriteStateAsync();
        }

        return taken;
    }

    public async Task ClearAsync()
    {
        // A cap that never counted a send has no row to clear.
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }
}
