namespace ProductEvents.Grains.Contacts;

[GenerateSerializer, Alias("pe.Interaction")]
public sealed class Interaction
{
    [Id(0)] public long Count { get; set; }

    [Id(1)] public DateTimeOffset FirstAt { get; set; }

    [Id(2)] public DateTimeOffset LastAt { get; set; }

    /// <summary>Log position of the newest event counted here; decides which entry goes when the cap is reached.</summary>
    [Id(3)] public long LastSeq { get; set; }
}
