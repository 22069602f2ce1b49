using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Grains.Automations;

[GenerateSerializer, Alias("pe.AutomationRunState")]
public sealed class AutomationRunState
{
    [Id(0)] public RunStatus Status { get; set; }

    [Id(1)] public ContactRef Contact { get; set; }

    [Id(2)] public TriggerEvent? Trigger { get; set; }

    [Id(3)] public DateTimeOffset DueAt { get; set; }

    [Id(4)] public string? Reason { get; set; }

    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
}
