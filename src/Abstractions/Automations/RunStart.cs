namespace ProductEvents.Abstractions.Automations;

/// <summary>Starts a run: who, what triggered it, and when its wait ends.</summary>
[GenerateSerializer, Immutable, Alias("pe.RunStart")]
public sealed record RunStart(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] TriggerEvent Trigger,
    [property: Id(2)] DateTimeOffset DueAt);
