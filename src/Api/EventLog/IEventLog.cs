using ProductEvents.Abstractions;

namespace ProductEvents.Api.EventLog;

/// <summary>The append-only log of accepted product events: the source of truth that grains are caches of.</summary>
public interface IEventLog : IEventLogReader
{
    /// <summary>
    /// Appends the events (their <c>Seq</c> is ignored) in one commit and answers, in the same order, the committed
    /// record or the id of the earlier event with the same app and event_id. Throws
    /// <see cref="EventLogUnavailableException"/> when the storage cannot take them; then nothing was committed.
    /// </summary>
    Task<AppendOutcome[]> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default);

    Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The contacts (app, contact) of the newest entries: those received within <paramref name="window"/> of the newest
    /// one, at most <paramref name="maxEntries"/> entries back. After a crash, these are the contacts whose segment
    /// changes may have been in flight.
    /// </summary>
    Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>Whether the log can take appends now, for <c>/health/ready</c>.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>A short description for the start-up log, e.g. "in memory, newest 1000000 events".</summary>
    string Describe();
}
