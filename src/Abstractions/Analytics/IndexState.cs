namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// How far the index that answered is: <see cref="Loading"/> while it still reads the app's log after an activation
/// (then nothing else of the answer is filled), the entries it holds, and the log position it includes.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.IndexState")]
public sealed record IndexState(
    [property: Id(0)] bool Loading,
    [property: Id(1)] long Entries,
    [property: Id(2)] long Through);
