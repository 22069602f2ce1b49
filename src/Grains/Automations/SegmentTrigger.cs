namespace ProductEvents.Grains.Automations;

/// <summary>A trigger on a segment change: the contact joined (<see cref="OnJoin"/>) or left the segment.</summary>
public sealed record SegmentTrigger(string SegmentId, bool OnJoin);
