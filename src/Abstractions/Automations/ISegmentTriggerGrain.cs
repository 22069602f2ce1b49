namespace ProductEvents.Abstractions.Automations;

/// <summary>
/// Reads one segment's recorded joins and leaves (keyed "{app}/{segmentId}") from its saved position and starts the
/// runs of the automations they trigger. The segment calls it after each batch it writes.
/// </summary>
[Alias("pe.ISegmentTriggerGrain")]
public interface ISegmentTriggerGrain : IGrainWithStringKey
{
    [Alias("CatchUp"), Orleans.Concurrency.OneWay]
    Task CatchUpAsync();
}
