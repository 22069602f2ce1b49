using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Automations;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Starts segment-triggered runs from the segment's change feed (table <c>segment_changes</c> in durable mode), not
/// from messages: the position is saved only after a page's runs are started, and a run's id derives from the change
/// number, so after a crash the same changes are read again and start the same runs, once.
/// </summary>
public sealed class SegmentTriggerGrain(
    [PersistentState("segment-trigger", StorageNames.Snapshots)] IPersistentState<SegmentTriggerState> state,
    ISegmentMembershipStore store,
    IAutomationRunStore runs,
    AutomationDefinitionCache automations,
    TimeProvider clock) : Grain, ISegmentTriggerGrain
{
    private const int PageSize = 500;

    public async Task CatchUpAsync()
    {
        var (appId, segmentId) = GrainKeys.Split(this.GetPrimaryKeyString());
        var app = await automations.GetAsync(appId);
        var triggered = app.Automations.Values
            .Where(a => a.Definition.Enabled && a.Definition.SegmentTrigger?.SegmentId == segmentId).ToList();
        if (triggered.Count == 0)
        {
            // Nothing listens: keep the position. An automation created later reads on from it and starts runs only
            // for changes recorded after it existed, so skipping costs nothing but a state write per segment batch.
            return;
        }

        while (true)
        {
            var changes = await store.ChangesAsync(appId, segmentId, null, state.State.Position, PageSize);
            if (changes.Count == 0)
            {
                return;
            }

            var now = clock.GetUtcNow();
            var starts = new List<RunRecord>();
            foreach (var change in changes.Where(c => !c.Erased))
            {
                // Only changes recorded after the automation existed: creating one does not replay the segment's history.
                foreach (var automation in triggered.Where(a => a.Definition.SegmentTrigger!.OnJoin == change.Joined && change.At >= a.CreatedAt))
                {
                    var runId = RunIds.ForSegmentChange(automation.Id, segmentId, change.Number);
                    var trigger = new TriggerEvent(change.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        change.Joined ? "segment_join" : "segment_leave", null, change.At, null, segmentId);
                    starts.Add(new RunRecord(appId, automation.Id, runId, change.Contact, RunStatus.Waiting, now + automation.Definition.Wait, trigger, now, null));
                }
            }

            await runs.StartAsync(starts);
            state.State.Position = changes[^1].Number;
            await state.WriteStateAsync();
        }
    }
}
