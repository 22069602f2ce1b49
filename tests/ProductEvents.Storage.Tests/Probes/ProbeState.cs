namespace ProductEvents.Storage.Tests.Probes;

[GenerateSerializer, Alias("storage-tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public int Value { get; set; }
}
