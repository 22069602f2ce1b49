using ProductEvents.Abstractions;
using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// A contact's bounded summary. Interactions are keyed by product id, then event type: a shape every grain storage
/// serializer (JSON included) writes and reads back.
/// </summary>
[GenerateSerializer, Alias("pe.ContactState")]
public sealed class ContactState : IProjectionState
{
    [Id(0)] public long AppliedSeq { get; set; }

    [Id(1)] public Dictionary<string, Dictionary<ProductEventType, Interaction>> Interactions { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public long EventCount { get; set; }

    [Id(3)] public DateTimeOffset FirstSeenAt { get; set; }

    [Id(4)] public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>How many (product, event type) entries <see cref="Interactions"/> holds.</summary>
    [Id(5)] public int InteractionCount { get; set; }

    /// <summary>The segments this contact belongs to (by segment id) and since when; bounded by the segments per app.</summary>
    [Id(6)] public Dictionary<string, DateTimeOffset> Segments { get; set; } = new(StringComparer.Ordinal);

    // Id 7 was the due time of the Orleans reminder that window checks were before the window check store: not reused,
    // so a snapshot written then reads with no check stored, and the contact's next evaluation writes its check.

    /// <summary>The anonymous visitor keys whose events this summary includes (see ContactGrain).</summary>
    [Id(8)] public HashSet<string> MergedKeys { get; set; } = [];

    /// <summary>The window check last written to the window check store (the next instant time alone may change a membership); null when none.</summary>
    [Id(9)] public DateTimeOffset? WindowCheckAt { get; set; }
}
