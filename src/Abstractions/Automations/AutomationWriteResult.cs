using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Abstractions.Automations;

/// <summary>The outcome of creating or editing an automation: the automation, or why the definition was refused.</summary>
[GenerateSerializer, Immutable, Alias("pe.AutomationWriteResult")]
public sealed record AutomationWriteResult(
    [property: Id(0)] AutomationInfo? Automation,
    [property: Id(1)] IReadOnlyList<DefinitionError> Errors,
    [property: Id(2)] bool LimitReached = false);
