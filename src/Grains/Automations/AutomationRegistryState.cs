namespace ProductEvents.Grains.Automations;

[GenerateSerializer, Alias("pe.AutomationRegistryState")]
public sealed class AutomationRegistryState
{
    [Id(0)] public Dictionary<string, AutomationInfo> Automations { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}
