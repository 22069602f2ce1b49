namespace ProductEvents.Abstractions;

/// <summary>What grains read from the event log to rebuild state that a crash or a restart lost.</summary>
public interface IEventLogReader
{
    /// <summary>The product's log entries after <paramref name="afterSeq"/>, in log order.</summary>
    IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>The contact's log entries after <paramref name="afterSeq"/>, in log order.</summary>
    IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>
    /// The keys of the anonymous visitors merged into the contact <paramref name="userId"/> (by identify, or by an
    /// event that carried both ids), in the order they were merged. A log that keeps no such record has none.
    /// </summary>
    Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
