namespace ProductEvents.Grains.Contacts;

/// <summary>The contact when its entries leave the log: erased (<see cref="IContactErasure"/>) or rebuilt after retention (<see cref="IContactReload"/>).</summary>
public sealed partial class ContactGrain : IContactErasure, IContactReload
{
    public async Task EraseAsync()
    {
        _windowTimer?.Dispose();
        _windowTimer = null;
        _windowTurn?.Dispose();
        _windowTurn = null;
        await WindowCheck.PendingAsync();
        await services.WindowChecks.WriteAsync(Key.AppId, Key.Contact, null);
        _windowCheck = null;
        _arriving = null;
        _foreignKeys = null;
        await DropAsync();
        DeactivateOnIdle();
    }

    public async Task ReloadAsync()
    {
        _foreignKeys = null;
        await RebuildAsync(static (old, rebuilt) =>
        {
            // Memberships and the pending window check are not derived from entries: the evaluation below updates them.
            rebuilt.Segments = old.Segments;
            rebuilt.WindowCheckAt = old.WindowCheckAt;
        });

        // Entries replayed here were triggers when they first arrived.
        _arriving = null;
        await EvaluateSegmentsAsync(reassert: true);
        await SaveSnapshotAsync();
    }
}
