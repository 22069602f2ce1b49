using ProductEvents.Abstractions;

namespace ProductEvents.Storage.Tests.Probes;

public sealed class StorageProbeGrain(
    [PersistentState("probe", StorageNames.Snapshots)] IPersistentState<ProbeState> state)
    : Grain, IStorageProbeGrain, IRemindable
{
    private int reminderTicks;

    public Task<int> GetValueAsync() => Task.FromResult(state.State.Value);

    public async Task SetValueAsync(int value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<string?> FindReminderAsync(string name) =>
        (await this.GetReminder(name))?.ReminderName;

    public async Task UnregisterReminderAsync(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"No reminder '{name}'.");
        await this.UnregisterReminder(reminder);
    }

    public Task<int> GetReminderTicksAsync() => Task.FromResult(reminderTicks);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        reminderTicks++;
        return Task.CompletedTask;
    }
}
