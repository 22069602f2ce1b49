namespace ProductEvents.Grains.Contacts;

/// <summary>
/// The erasure of a contact, on its grain. Internal to the cluster: the public <see cref="IContactGrain"/> stays
/// read-only for the clients that reference it.
/// </summary>
[Alias("pe.IContactErasure")]
public interface IContactErasure : IGrainWithStringKey
{
    /// <summary>
    /// Drops the contact's state, its stored snapshot and its window check, and deactivates. Call it once the contact's
    /// entries left the log: a later call loads again from what the log holds (nothing, or entries that came since).
    /// </summary>
    [Alias("Erase")]
    Task EraseAsync();
}
