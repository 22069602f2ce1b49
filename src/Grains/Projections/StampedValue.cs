namespace ProductEvents.Grains.Projections;

/// <summary>An attribute value with the event time and log position that wrote it.</summary>
[GenerateSerializer, Immutable, Alias("pe.StampedValue")]
public readonly record struct StampedValue(
    [property: Id(0)] AttributeValue Value,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] long Seq)
{
    /// <summary>Last writer wins by event time; at equal times the later arrival (higher log position) wins.</summary>
    public bool IsOlderThan(DateTimeOffset timestamp, long seq) =>
        Timestamp < timestamp || (Timestamp == timestamp && Seq < seq);
}
