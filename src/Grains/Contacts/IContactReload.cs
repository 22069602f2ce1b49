namespace ProductEvents.Grains.Contacts;

/// <summary>Internal to the cluster: tells a contact that entries it includes left the log (retention).</summary>
[Alias("pe.IContactReload")]
public interface IContactReload : IGrainWithStringKey
{
    /// <summary>
    /// Rebuilds the contact's summary from the entries the log still holds, keeps its memberships, re-evaluates its
    /// segments against the rebuilt summary and re-asserts them against the stored ones.
    /// </summary>
    [Alias("Reload")]
    Task ReloadAsync();
}
