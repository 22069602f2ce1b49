namespace ProductEvents.Abstractions.Segments;

/// <summary>
/// What travels from a contact to a segment: the contact joined or left (or, when re-asserting after a recovery,
/// is or is not a member). The segment side applies it idempotently, so a redelivered change does no harm.
/// </summary>
/// <param name="Build">The build version of the segment this message answers (the contact evaluated because that build
/// asked it to); 0 for a change of the contact's own evaluation. A build counts these answers to know it is complete.</param>
/// <param name="AnswerOnly">Nothing to write: the contact's membership did not change, it only answers <paramref name="Build"/>.</param>
[GenerateSerializer, Immutable, Alias("pe.MembershipChange")]
public sealed record MembershipChange(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] bool IsMember,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int Build = 0,
    [property: Id(4)] bool AnswerOnly = false);
