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
}
