namespace ProductEvents.Grains.Automations;

[GenerateSerializer, Alias("pe.SegmentTriggerState")]
public sealed class SegmentTriggerState
{
    /// <summary>The last change number whose runs were all started.</summary>
    [Id(0)] public long Position { get; set; }
}
