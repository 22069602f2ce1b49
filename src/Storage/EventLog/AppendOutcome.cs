namespace ProductEvents.Storage.EventLog;

/// <summary>
/// What the log did with one appended event: committed it, found an earlier event with its event_id, or refused it
/// (a value PostgreSQL cannot store that validation let through; answered 400).
/// </summary>
/// <param name="DuplicateOfSeq">
/// The earlier event's log position, 0 when the log cannot tell it (an id claimed before positions were kept with the
/// claims, deploy/sql/V025, whose event is gone from the log).
/// </param>
[GenerateSerializer, Immutable, Alias("pe.AppendOutcome")]
public readonly record struct AppendOutcome(
    [property: Id(0)] ProductEventRecord? Committed,
    [property: Id(1)] Guid DuplicateOf,
    [property: Id(2)] string? RefusedBecause = null,
    [property: Id(3)] long DuplicateOfSeq = 0)
{
    public static AppendOutcome New(ProductEventRecord committed) => new(committed, Guid.Empty);

    public static AppendOutcome Duplicate(Guid firstId, long firstSeq) => new(null, firstId, null, firstSeq);

    public static AppendOutcome Refused(string reason) => new(null, Guid.Empty, reason);

    public bool IsDuplicate => Committed is null && RefusedBecause is null;

    public bool IsRefused => RefusedBecause is not null;

    public Guid Id => Committed?.Id ?? DuplicateOf;

    /// <summary>The event's log position, its integer id (the first event's for a duplicate); null when unknown or refused.</summary>
    public long? Number => Committed?.Seq ?? (DuplicateOfSeq > 0 ? DuplicateOfSeq : null);
}
