namespace ProductEvents.Storage.EventLog;

/// <summary>What grains read from the event log to rebuild state that a crash or a restart lost.</summary>
public interface IEventLogReader
{
    /// <summary>The product's log entries after <paramref name="afterSeq"/>, in log order.</summary>
    IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>The contact's log entries after <paramref name="afterSeq"/>, in log order.</summary>
    IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>
    /// The app's contacts with at least one logged event, in contact-key order ("k/..." visitors, then "u/..." users),
    /// after <paramref name="afterContactKey"/>: how a segment build walks every contact.
    /// </summary>
    Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many contacts <see cref="ListContactsAsync"/> would walk (for build progress).</summary>
    Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default);

    /// <summary>The contacts with logged events on the product: whose segment memberships may depend on it.</summary>
    Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default);

    /// The keys of the anonymous visitors merged into the contact <paramref name="userId"/> (by identify, or by an
    /// event that carried both ids), in the order they were merged. A log that keeps no such record has none.
    /// </summary>
    Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
