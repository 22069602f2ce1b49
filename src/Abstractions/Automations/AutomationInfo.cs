namespace ProductEvents.Abstractions.Automations;

/// <summary>An automation as stored: its validated definition (JSON text, secret included) and bookkeeping.</summary>
[GenerateSerializer, Immutable, Alias("pe.AutomationInfo")]
public sealed record AutomationInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string DefinitionJson,
    [property: Id(3)] bool Enabled,
    [property: Id(4)] int Version,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);
