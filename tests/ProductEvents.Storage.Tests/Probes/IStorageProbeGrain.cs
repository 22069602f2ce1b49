namespace ProductEvents.Storage.Tests.Probes;

/// <summary>A grain that exercises the PostgreSQL grain storage and reminders.</summary>
[Alias("storage-tests.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    [Alias("GetValue")]
    Task<int> GetValueAsync();

    [Alias("SetValue")]
    Task SetValueAsync(int value);

    /// <summary>Deactivates after this call, so the next call loads the state from storage.</summary>
    [Alias("Deactivate")]
    Task DeactivateAsync();

    [Alias("RegisterReminder")]
    Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>The reminder's name if it is registered, else null.</summary>
    [Alias("FindReminder")]
    Task<string?> FindReminderAsync(string name);

    [Alias("UnregisterReminder")]
    Task UnregisterReminderAsync(string name);

    /// <summary>How many times a reminder fired in this activation.</summary>
    [Alias("GetReminderTicks")]
    Task<int> GetReminderTicksAsync();
}
