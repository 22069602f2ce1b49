namespace ProductEvents.Abstractions.Segments;

public enum SegmentStatus
{
    /// <summary>Existing contacts are being evaluated; memberships are not final yet.</summary>
    Building = 0,

    /// <summary>Every contact has been evaluated; memberships change as events arrive and windows expire.</summary>
    Ready = 1,
}
