namespace ProductEvents.Grains.Automations;

/// <summary>Internal to the cluster: the erasure of a contact clears what its frequency caps recorded of it.</summary>
[Alias("pe.IAutomationCapErasure")]
public interface IAutomationCapErasure : IGrainWithStringKey
{
    [Alias("Clear")]
    Task ClearAsync();
}
