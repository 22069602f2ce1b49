using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// A page of matching contacts, the cursor of the next page (null at the end), and the total: exact when every contact
/// was evaluated, else estimated from a uniform sample with <see cref="TotalError"/> its 95% bound.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.ContactSearchAnswer")]
public sealed record ContactSearchAnswer(
    [property: Id(0)] IndexState Index,
    [property: Id(1)] IReadOnlyList<DefinitionError> Errors,
    [property: Id(2)] IReadOnlyList<FoundContact> Contacts,
    [property: Id(3)] int? Next,
    [property: Id(4)] long Total,
    [property: Id(5)] bool TotalExact,
    [property: Id(6)] long TotalError);

[GenerateSerializer, Immutable, Alias("pe.an.FoundContact")]
public sealed record FoundContact(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] long Events,
    [property: Id(2)] DateTimeOffset FirstSeenAt,
    [property: Id(3)] DateTimeOffset LastSeenAt);
