namespace ProductEvents.Grains.Automations;

/// <summary>The sends taken under one frequency cap: run id to when (bounded by the cap's max, see <see cref="CapWindow"/>).</summary>
[GenerateSerializer, Alias("pe.AutomationCapState")]
public sealed class AutomationCapState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> Sends { get; set; } = new(StringComparer.Ordinal);
}
