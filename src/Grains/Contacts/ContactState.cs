using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Contacts;

/// <summary>A contact's bounded summary. Interactions are keyed by product id, then held per event type.</summary>
[GenerateSerializer, Alias("pe.ContactState")]
public sealed class ContactState : IProjectionState
{
    [Id(0)] public long AppliedSeq { get; set; }

    // [Id(1)] was EarlierInteractions; never reuse

    [Id(10)] public Dictionary<string, ProductInteractions> Interactions { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public long EventCount { get; set; }

    [Id(3)] public DateTimeOffset FirstSeenAt { get; set; }

    [Id(4)] public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>How many (product, event type) entries <see cref="Interactions"/> holds.</summary>
    [Id(5)] public int InteractionCount { get; set; }

    /// <summary>The segments this contact belongs to (by segment id) and since when; bounded by the segments per app.</summary>
    [Id(6)] public Dictionary<string, DateTimeOffset> Segments { get; set; } = new(StringComparer.Ordinal);

    // [Id(7)] was ReminderAt; never reuse

    /// <summary>The anonymous visitor keys whose events this summary includes (see ContactGrain).</summary>
    [Id(8)] public HashSet<string> MergedKeys { get; set; } = [];

    /// <summary>The window check last written to the window check store (the next instant time alone may change a membership); null when none.</summary>
    [Id(9)] public DateTimeOffset? WindowCheckAt { get; set; }
}
