namespace ProductEvents.Storage.EventLog;

/// <summary>The append-only log of accepted product events: the source of truth that grains are caches of.</summary>
public interface IEventLog : IEventLogReader
{
    /// <summary>
    /// Appends the events (their <c>Seq</c> is ignored) in one commit and answers, in the same order, the committed
    /// record or the id of the earlier event with the same app and event_id, and the products and contacts whose first
    /// entries this commit holds. Throws <see cref="EventLogUnavailableException"/> when the storage cannot take them;
    /// then nothing was committed.
    /// </summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes this process the log's only writer: appends of a writer that took over before fail from now on with
    /// <see cref="EventLogFencedException"/>, after the ones in flight have ended. Answers the new epoch and the position
    /// through which every entry is known to have reached its grains.
    /// </summary>
    Task<WriterTakeover> TakeOverAsync(string holder, CancellationToken cancellationToken = default);

    /// <summary>Records that every entry through <paramref name="seq"/> has reached its grains (ignored once taken over by another writer).</summary>
    Task RecordAppliedAsync(long seq, CancellationToken cancellationToken = default);

    /// <summary>Every app's entries after <paramref name="afterSeq"/>, in log order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ProductEventRecord>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One app's entries after <paramref name="afterSeq"/>, in log order, at most <paramref name="limit"/>, and the
    /// position through which the answer holds every entry of the app: the last entry's when the limit was reached,
    /// else the newest committed position of the whole log (what the analytics index catches up with).
    /// </summary>
    Task<AppEntries> ReadAppAfterAsync(string appId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The contacts (app, contact) of the newest entries: those received within <paramref name="window"/> of the newest
    /// one, at most <paramref name="maxEntries"/> entries back. After a crash, these are the contacts whose segment
    /// changes may have been in flight.
    /// </summary>
    Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>How many events match the query's filters; its <c>Limit</c> and <c>After</c> are ignored.</summary>
    Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that an anonymous visitor's key belongs to a contact (identify); the first contact to claim a key keeps
    /// it. Appending an event that carries both <c>user_id</c> and <c>user_key</c> records the same in its commit.
    /// Answers the user id the key belongs to now.
    /// </summary>
    Task<string> AddAliasAsync(string appId, string userKey, string userId, CancellationToken cancellationToken = default);

    /// <summary>The contacts that the given visitor keys belong to; keys of visitors not merged into one are left out.</summary>
    Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken = default);

    /// <summary>Whether the log can take appends now, for <c>/health/ready</c>.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>A short description for the start-up log, e.g. "in memory, newest 1000000 events".</summary>
    string Describe();
}
