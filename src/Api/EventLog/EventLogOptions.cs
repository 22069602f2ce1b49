namespace ProductEvents.Api.EventLog;

/// <summary>Bound from <c>ProductEvents:EventLog</c>.</summary>
public sealed class EventLogOptions
{
    public const string Section = "ProductEvents:EventLog";

    /// <summary>The in-memory log of the embedded default keeps the newest this many events; older ones are dropped.</summary>
    public int MemoryCapacity { get; set; } = 1_000_000;
}
