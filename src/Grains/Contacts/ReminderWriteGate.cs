namespace ProductEvents.Grains.Contacts;

/// <summary>
/// Bounds how many window reminders a silo writes at once. Contacts write them in the background, off the path that
/// applies events; without a bound a burst of contacts entering windows would start as many storage writes as there
/// are contacts and exhaust the connection pool. Each contact has at most one write waiting (later changes merge into
/// it).
/// </summary>
public sealed class ReminderWriteGate
{
    public const int MaxConcurrentWrites = 16;

    private readonly SemaphoreSlim _slots = new(MaxConcurrentWrites, MaxConcurrentWrites);

    public Task WaitAsync() => _slots.WaitAsync();

    public void Release() => _slots.Release();
}
