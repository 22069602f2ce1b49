namespace ProductEvents.Abstractions;

/// <summary>How often a contact did one type of event with one product, and when (event time) first and last.</summary>
[GenerateSerializer, Immutable, Alias("pe.ContactInteraction")]
public sealed record ContactInteraction(
    [property: Id(0)] string ProductId,
    [property: Id(1)] ProductEventType EventType,
    [property: Id(2)] long Count,
    [property: Id(3)] DateTimeOffset FirstAt,
    [property: Id(4)] DateTimeOffset LastAt);
