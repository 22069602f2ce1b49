using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// One run: waits durably (persisted due time plus a reminder that survives restarts and kill -9), with a timer for
/// the exact instant while active; at the due time it fires once (<see cref="RunFiring"/>) or is cancelled or capped.
/// </summary>
public sealed class AutomationRunGrain(
    [PersistentState("run", StorageNames.Snapshots)] IPersistentState<AutomationRunState> state,
    AutomationDefinitionCache automations,
    IDeliveryOutbox outbox,
    IAutomationRunStore runs,
    TimeProvider clock,
    ILogger<AutomationRunGrain> logger) : Grain, IAutomationRunGrain, IRemindable
{
    private const string DueReminder = "run-due";
    private static readonly TimeSpan ReminderRetry = TimeSpan.FromMinutes(1);

    private ITimer? _timer;

    private (string AppId, string AutomationId, string RunId) Key => RunIds.Parse(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Status == RunStatus.Waiting)
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task StartAsync(RunStart start)
    {
        if (state.State.Status != RunStatus.None)
        {
            return;
        }

        state.State.Status = RunStatus.Waiting;
        state.State.Contact = start.Contact;
        state.State.Trigger = start.Trigger;
        state.State.DueAt = start.DueAt;
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        var delay = start.DueAt - clock.GetUtcNow();

        // The reminder is the safety net for a restart; while active, the timer fires on time.
        await this.RegisterOrUpdateReminder(DueReminder, delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1), ReminderRetry);
        await runs.UpsertAsync(Record());
        ArmTimer();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => FireAsync();

    public async Task FireAsync()
    {
        if (state.State.Status != RunStatus.Waiting)
        {
            await DropReminderAsync();
            return;
        }

        var now = clock.GetUtcNow();
        if (now < state.State.DueAt)
        {
            ArmTimer();
            return;
        }

        var (appId, automationId, runId) = Key;
        var app = await automations.GetAsync(appId);
        var (status, reason) = await new RunFiring(GrainFactory, outbox)
            .FireAsync(appId, automationId, runId, app.Automations.GetValueOrDefault(automationId), state.State, now);
        state.State.Status = status;
        state.State.Reason = reason;
        state.State.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        _timer?.Dispose();
        _timer = null;
        await DropReminderAsync();
        await runs.UpsertAsync(Record());
    }

    public Task<RunRecord?> GetAsync() => Task.FromResult(state.State.Status == RunStatus.None ? null : Record());

    private RunRecord Record()
    {
        var (appId, automationId, runId) = Key;
        var s = state.State;
        return new RunRecord(appId, automationId, runId, s.Contact, s.Status, s.DueAt, s.Trigger!, s.UpdatedAt, s.Reason);
    }

    private void ArmTimer()
    {
        _timer?.Dispose();
        var delay = state.State.DueAt - clock.GetUtcNow();
        var self = this.AsReference<IAutomationRunGrain>();
        _timer = clock.CreateTimer(_ => FireLater(self), null, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Timer callbacks run outside the grain: the run fires through its own reference, in a call chain of its own.</summary>
    private void FireLater(IAutomationRunGrain self) =>
        self.FireAsync().ContinueWith(
            t => logger.LogWarning(t.Exception, "A run did not fire on its timer; its reminder will retry"),
            TaskContinuationOptions.OnlyOnFaulted);

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(DueReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
