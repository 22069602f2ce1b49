namespace ProductEvents.Abstractions.Automations;

/// <summary>The automation definitions of one app, keyed by app id.</summary>
[Alias("pe.IAutomationRegistryGrain")]
public interface IAutomationRegistryGrain : IGrainWithStringKey
{
    /// <summary>Validates the definition (errors name their path: <c>trigger.event.types[0]</c>) and stores it when valid.</summary>
    [Alias("Create")]
    Task<AutomationWriteResult> CreateAsync(string definitionJson);

    /// <summary>Like <see cref="CreateAsync"/>, for an existing automation; null when it does not exist.</summary>
    [Alias("Update")]
    Task<AutomationWriteResult?> UpdateAsync(string automationId, string definitionJson);

    [Alias("Delete")]
    Task<bool> DeleteAsync(string automationId);

    [Alias("Get")]
    Task<AutomationInfo?> GetAsync(string automationId);

    [Alias("List")]
    Task<IReadOnlyList<AutomationInfo>> ListAsync();

    /// <summary>Bumped by every change: silos compare it to refresh their cached definitions.</summary>
    [Alias("GetVersion")]
    Task<long> GetVersionAsync();
}
