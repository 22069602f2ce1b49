namespace ProductEvents.Abstractions.Segments;

/// <summary>What is wrong with a definition, at which path: "condition.all[1].event.types[0]".</summary>
[GenerateSerializer, Immutable, Alias("pe.DefinitionError")]
public sealed record DefinitionError(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message);
