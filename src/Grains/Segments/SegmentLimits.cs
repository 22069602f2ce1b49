namespace ProductEvents.Grains.Segments;

/// <summary>Bounds on a condition's size, so evaluating every segment on every event stays cheap.</summary>
public static class SegmentLimits
{
    /// <summary>Items of one <c>all</c> or <c>any</c>.</summary>
    public const int MaxItems = 50;

    /// <summary>Levels of nodes; the condition itself is level 1.</summary>
    public const int MaxDepth = 10;

    /// <summary>Event nodes in the whole condition.</summary>
    public const int MaxEventNodes = 50;

    /// <summary>Values of one <c>in</c> filter.</summary>
    public const int MaxInValues = 100;

    /// <summary>The longest <c>within</c>, in days (about ten years).</summary>
    public const int MaxWithinDays = 3650;
}
