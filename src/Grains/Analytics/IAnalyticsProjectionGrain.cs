using Orleans.Concurrency;
using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Grains.Analytics;

/// <summary>
/// The silo's own calls on an app's analytics index (key: the app id): the writer's entries, erasures, retention and
/// merged visitors. Not on <see cref="IAnalyticsGrain"/>, which outside clients may call.
/// </summary>
[Alias("pe.IAnalyticsProjectionGrain")]
public interface IAnalyticsProjectionGrain : IAnalyticsGrain
{
    /// <summary>Every entry of the app with a position in (<c>From</c>, <c>Through</c>], in log order.</summary>
    [Alias("Apply")]
    Task ApplyAsync(AnalyticsPush push);

    /// <summary>Forgets the contacts' entries after taking in everything the log holds now (their erasure has removed them from it).</summary>
    [Alias("ForgetContacts")]
    Task ForgetContactsAsync(IReadOnlyList<ContactRef> contacts);

    /// <summary>Forgets the entries at these log positions (retention deleted them from the log).</summary>
    [Alias("ForgetEntries")]
    Task ForgetEntriesAsync(long[] positions);

    /// <summary>Forgets the entries received before the instant (retention dropped their months from the log).</summary>
    [Alias("ForgetReceivedBefore")]
    Task ForgetReceivedBeforeAsync(DateTimeOffset before);

    /// <summary>
    /// Counts the visitors' entries as the user's from now on (identify). One-way: an identify does not wait behind a
    /// long query of the index; a merge lost with its silo is made again when the index loads from the log.
    /// </summary>
    [Alias("MergeVisitors")]
    [OneWay]
    Task MergeVisitorsAsync(string userId, IReadOnlyList<string> userKeys);
}

/// <summary>
/// The app's entries with a position in (<see cref="From"/>, <see cref="Through"/>], in log order, each with the
/// contact it counts for (a merged visitor's entry counts for its user).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.AnalyticsPush")]
public sealed record AnalyticsPush(
    [property: Id(0)] long From,
    [property: Id(1)] long Through,
    [property: Id(2)] ProductEventRecord[] Entries,
    [property: Id(3)] ContactRef[] Contacts);
