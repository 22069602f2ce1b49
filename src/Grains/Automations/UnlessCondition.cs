namespace ProductEvents.Grains.Automations;

/// <summary>
/// A segment condition whose event nodes at <see cref="SameProductPaths"/> (for example <c>unless.all[0].event</c>) count
/// only events on the trigger's product after the trigger's time.
/// </summary>
public sealed record UnlessCondition(SegmentCondition Condition, IReadOnlySet<string> SameProductPaths);
