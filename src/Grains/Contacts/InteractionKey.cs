using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Contacts;

[GenerateSerializer, Immutable, Alias("pe.InteractionKey")]
public readonly record struct InteractionKey(
    [property: Id(0)] string ProductId,
    [property: Id(1)] ProductEventType EventType);
