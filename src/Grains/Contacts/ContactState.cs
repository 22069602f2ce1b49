using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Contacts;

[GenerateSerializer, Alias("pe.ContactState")]
public sealed class ContactState : IProjectionState
{
    [Id(0)] public long AppliedSeq { get; set; }

    [Id(1)] public Dictionary<InteractionKey, Interaction> Interactions { get; set; } = [];

    [Id(2)] public long EventCount { get; set; }

    [Id(3)] public DateTimeOffset FirstSeenAt { get; set; }

    [Id(4)] public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The anonymous visitor keys whose events this summary includes (see ContactGrain).</summary>
    [Id(5)] public HashSet<string> MergedKeys { get; set; } = [];
}
