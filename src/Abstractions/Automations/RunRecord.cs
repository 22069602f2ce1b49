namespace ProductEvents.Abstractions.Automations;

/// <summary>One run as the runs listing shows it.</summary>
[GenerateSerializer, Immutable, Alias("pe.RunRecord")]
public sealed record RunRecord(
    [property: Id(0)] string AppId,
    [property: Id(1)] string AutomationId,
    [property: Id(2)] string RunId,
    [property: Id(3)] ContactRef Contact,
    [property: Id(4)] RunStatus Status,
    [property: Id(5)] DateTimeOffset DueAt,
    [property: Id(6)] TriggerEvent Trigger,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] string? Reason);
