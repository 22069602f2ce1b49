using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// A contact's durable window check (<see cref="IWindowCheckStore"/>): the check its last evaluation wants, whether the
/// stored one is behind it, and the background write that brings the store in line. The check is written only when
/// the wanted one comes earlier than the one stored or that one has passed, which keeps writes rare.
/// </summary>
/// <param name="stored">Reads the check last written (<see cref="ContactState.WindowCheckAt"/>).</param>
/// <param name="written">Called, in the grain's context, with each check once the store holds it.</param>
internal sealed class WindowCheckTracker(
    IWindowCheckStore store,
    TimeProvider clock,
    ILogger logger,
    string appId,
    ContactRef contact,
    Func<DateTimeOffset?> stored,
    Action<DateTimeOffset?> written)
{
    private DateTimeOffset? _wanted;
    private Task? _sync;

    /// <summary>
    /// Notes the check the contact wants, and starts the write when the stored one is behind. The write takes no turn
    /// of the grain, so events keep being applied meanwhile (until it lands, the window timer covers the window). One
    /// write at a time per contact; a change made while a write runs is written right after it.
    /// </summary>
    public void Want(DateTimeOffset? checkAt)
    {
        _wanted = checkAt;
        if (_sync is null && IsBehind())
        {
            var sync = SyncAsync();
            _sync = sync.IsCompleted ? null : sync;
        }
    }

    /// <summary>The write under way, if any: deactivation waits for it.</summary>
    public Task PendingAsync() => _sync ?? Task.CompletedTask;

    /// <summary>
    /// Whether the stored check must change. A stored check earlier than the one wanted stays: it comes first, finds
    /// nothing to do, and the later one is written then. So a window that every new event pushes further out (a
    /// contact viewing product after product) costs no write per event.
    /// </summary>
    public bool IsBehind() => (_wanted, stored()) switch
    {
        (null, null) => false,
        ({ } wanted, { } held) => wanted < held || held <= clock.GetUtcNow(),
        _ => true,
    };

    private async Task SyncAsync()
    {
        try
        {
            while (IsBehind())
            {
                var due = _wanted;
                await store.WriteAsync(appId, contact, due);

                // Only written checks are reported, so a snapshot never claims a check the store may not have.
                written(due);
            }
        }
        catch (Exception ex)
        {
            // The timer still covers the window while the grain is active; the contact's next evaluation writes again.
            logger.LogWarning(ex, "The window check of contact {Contact} in app {App} was not written", contact.Value, appId);
        }
        finally
        {
            _sync = null;
        }
    }
}
