namespace ProductEvents.Abstractions.Segments;

/// <summary>
/// What travels from a contact to a segment: the contact joined or left (or, when re-asserting after a recovery,
/// is or is not a member). The segment side applies it idempotently, so a redelivered change does no harm.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.MembershipChange")]
public sealed record MembershipChange(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] bool IsMember,
    [property: Id(2)] DateTimeOffset At);
