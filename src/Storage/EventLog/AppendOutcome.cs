using ProductEvents.Abstractions;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// What the log did with one appended event: committed it, found an earlier event with its event_id, or refused it
/// (a value PostgreSQL cannot store that validation let through; answered 400).
/// </summary>
public readonly record struct AppendOutcome(ProductEventRecord? Committed, Guid DuplicateOf, string? RefusedBecause = null)
{
    public static AppendOutcome New(ProductEventRecord committed) => new(committed, Guid.Empty);

    public static AppendOutcome Duplicate(Guid firstId) => new(null, firstId);

    public static AppendOutcome Refused(string reason) => new(null, Guid.Empty, reason);

    public bool IsDuplicate => Committed is null && RefusedBecause is null;

    public bool IsRefused => RefusedBecause is not null;

    public Guid Id => Committed?.Id ?? DuplicateOf;
}
