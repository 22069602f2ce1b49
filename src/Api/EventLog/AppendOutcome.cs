using ProductEvents.Abstractions;

namespace ProductEvents.Api.EventLog;

/// <summary>What the log did with one appended event: committed it, or found an earlier event with its event_id.</summary>
public readonly record struct AppendOutcome(ProductEventRecord? Committed, Guid DuplicateOf)
{
    public static AppendOutcome New(ProductEventRecord committed) => new(committed, Guid.Empty);

    public static AppendOutcome Duplicate(Guid firstId) => new(null, firstId);

    public bool IsDuplicate => Committed is null;

    public Guid Id => Committed?.Id ?? DuplicateOf;
}
