using System.Collections.Concurrent;
using ProductEvents.Abstractions;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Tests.Cluster;

/// <summary>The grains' view of an in-memory log, remembering from which position each key was read.</summary>
public sealed class RecordingEventLogReader(InMemoryEventLog log) : IEventLogReader
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _reads = new(StringComparer.Ordinal);

    /// <summary>The <c>afterSeq</c> of every read of the grain key, in call order.</summary>
    public IReadOnlyList<long> ReadsOf(string grainKey) =>
        _reads.TryGetValue(grainKey, out var reads) ? [.. reads] : [];

    public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default)
    {
        _reads.GetOrAdd(GrainKeys.Product(appId, productId), _ => new()).Enqueue(afterSeq);
        return log.ReadProductAsync(appId, productId, afterSeq, cancellationToken);
    }

    public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default)
    {
        _reads.GetOrAdd(GrainKeys.Contact(appId, contact), _ => new()).Enqueue(afterSeq);
        return log.ReadContactAsync(appId, contact, afterSeq, cancellationToken);
    }

    public Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default) =>
        log.ListContactsAsync(appId, afterContactKey, limit, cancellationToken);

    public Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default) =>
        log.CountContactsAsync(appId, cancellationToken);

    public Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default) =>
        log.ListContactsOfProductAsync(appId, productId, cancellationToken);

    public Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default) =>
        log.ReadAliasedKeysAsync(appId, userId, cancellationToken);
}
