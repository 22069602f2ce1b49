namespace ProductEvents.Abstractions;

[GenerateSerializer, Immutable, Alias("pe.ContactSnapshot")]
public sealed record ContactSnapshot(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] IReadOnlyList<ContactInteraction> Interactions,
    [property: Id(2)] long EventCount,
    [property: Id(3)] DateTimeOffset FirstSeenAt,
    [property: Id(4)] DateTimeOffset LastSeenAt,
    [property: Id(5)] long AppliedSeq);
