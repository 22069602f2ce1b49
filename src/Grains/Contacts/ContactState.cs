using ProductEvents.Abstractions;
using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// A contact's bounded summary. Interactions are keyed by product id, then held per event type: a shape every grain
/// storage serializer (JSON included) writes and reads back.
/// </summary>
[GenerateSerializer, Alias("pe.ContactState")]
public sealed class ContactState : IProjectionState
{
    [Id(0)] public long AppliedSeq { get; set; }

    /// <summary>
    /// The interactions as snapshots written before <see cref="Interactions"/> held them (a dictionary per product):
    /// read, moved over by <see cref="AfterRead"/>, never written again.
    /// </summary>
    [Id(1)]
    [Newtonsoft.Json.JsonProperty("Interactions")]
    public Dictionary<string, Dictionary<ProductEventType, Interaction>>? EarlierInteractions { get; set; }

    [Id(10)]
    [Newtonsoft.Json.JsonProperty("ByProduct")]
    public Dictionary<string, ProductInteractions> Interactions { get; set; } = new(StringComparer.Ordinal);

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

    public void AfterRead()
    {
        if (EarlierInteractions is null)
        {
            return;
        }

        foreach (var (productId, byType) in EarlierInteractions)
        {
            var held = Interactions.TryGetValue(productId, out var existing) ? existing : Interactions[productId] = new ProductInteractions();
            foreach (var (type, interaction) in byType.OrderBy(t => t.Key))
            {
                interaction.Type = type;
                held.Add(interaction);
            }
        }

        EarlierInteractions = null;
    }
}
