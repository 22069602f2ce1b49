namespace ProductEvents.Grains.Automations;

/// <summary>An app's automations as one silo caches them.</summary>
public sealed record AppAutomations(long Version, IReadOnlyDictionary<string, CompiledAutomation> Automations)
{
    /// <summary>The enabled automations with an event trigger: what a contact checks for every new event.</summary>
    public IReadOnlyList<CompiledAutomation> EventTriggered { get; } =
        [.. Automations.Values.Where(a => a.Definition.Enabled && a.Definition.EventTrigger is not null)];
}
