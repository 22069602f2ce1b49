using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The embedded default's log: a ring of the newest <see cref="EventLogOptions.MemoryCapacity"/> events with indexes
/// by product and contact. Nothing survives the process.
/// </summary>
public sealed partial class InMemoryEventLog : IEventLog
{
    private readonly Lock _gate = new();
    private readonly ProductEventRecord[] _ring;
    private readonly Dictionary<(string AppId, string EventId), (Guid Id, long Seq)> _eventIds = [];
    private readonly Dictionary<string, List<long>> _byProduct = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<long>> _byContact = new(StringComparer.Ordinal);
    private readonly InMemoryContactAliases _aliases = new();
    private long _nextSeq = 1;
    private int _count;
    private long _epoch;
    private long _appliedThrough;

    public InMemoryEventLog(IOptions<EventLogOptions> options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Value.MemoryCapacity, 1);
        _ring = new ProductEventRecord[options.Value.MemoryCapacity];
    }

    private long FirstSeq => _nextSeq - _count;

    public string Describe() => $"in memory, newest {_ring.Length} events, lost when the process stops";

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<AppendResult> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default)
    {
        var outcomes = new AppendOutcome[events.Count];
        var products = new HashSet<string>(StringComparer.Ordinal);
        var contacts = new List<(string Key, string AppId, ContactRef Contact)>();
        lock (_gate)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (e.EventId is not null && _eventIds.TryGetValue((e.AppId, e.EventId), out var first))
                {
                    outcomes[i] = AppendOutcome.Duplicate(first.Id, first.Seq);
                    continue;
                }

                var entry = e with { Seq = _nextSeq };
                var (newProduct, newContact) = Store(entry);
                if (newProduct is not null)
                {
                    products.Add(newProduct);
                }

                if (newContact is not null)
                {
                    contacts.Add((newContact, entry.AppId, entry.Contact));
                }

                if (entry.UserId is not null && entry.UserKey is not null)
                {
                    _aliases.Add(entry.AppId, entry.UserKey, entry.UserId);
                }

                outcomes[i] = AppendOutcome.New(entry);
            }

            // A user with merged visitors (before or in this commit) has their history without an entry of their own.
            var newContacts = contacts
                .Where(c => c.Contact.IsAnonymous || _aliases.KeysOf(c.AppId, c.Contact.Value).Count == 0)
                .Select(c => c.Key)
                .ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(new AppendResult(outcomes, new NewKeys(products, newContacts)));
        }
    }

    /// <summary>One process holds this log: a takeover only counts epochs and keeps the applied position.</summary>
    public Task<WriterTakeover> TakeOverAsync(string holder, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(new WriterTakeover(++_epoch, _appliedThrough));
        }
    }

    public Task RecordAppliedAsync(long seq, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _appliedThrough = Math.Max(_appliedThrough, seq);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ProductEventRecord>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = new List<ProductEventRecord>();
            for (var seq = Math.Max(afterSeq + 1, FirstSeq); seq < _nextSeq && entries.Count < limit; seq++)
            {
                entries.Add(At(seq));
            }

            return Task.FromResult<IReadOnlyList<ProductEventRecord>>(entries);
        }
    }

    public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default) =>
        ReadIndexed(_byProduct, GrainKeys.Product(appId, productId), afterSeq);

    public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default) =>
        ReadIndexed(_byContact, GrainKeys.Contact(appId, contact), afterSeq);

    public Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default)
    {
        var prefix = appId + "/";
        lock (_gate)
        {
            IReadOnlyList<ContactRef> page = _byContact.Keys
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Select(k => k[prefix.Length..])
                .Where(k => afterContactKey is null || string.CompareOrdinal(k, afterContactKey) > 0)
                .Order(StringComparer.Ordinal)
                .Take(limit)
                .Select(ContactKeys.Parse)
                .ToArray();
            return Task.FromResult(page);
        }
    }

    public Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default)
    {
        var prefix = appId + "/";
        lock (_gate)
        {
            return Task.FromResult((long)_byContact.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    public Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var first = FirstSeq;
            IReadOnlyList<ContactRef> contacts = (_byProduct.GetValueOrDefault(GrainKeys.Product(appId, productId)) ?? [])
                .Where(s => s >= first)
                .Select(s => At(s).Contact)
                .Distinct()
                .ToArray();
            return Task.FromResult(contacts);
        }
    }

    public Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.FromResult<IReadOnlyList<(string, ContactRef)>>([]);
            }

            var newest = At(_nextSeq - 1).ReceivedAt;
            var recent = new HashSet<(string, ContactRef)>();
            for (var seq = _nextSeq - 1; seq >= Math.Max(FirstSeq, _nextSeq - maxEntries) && At(seq).ReceivedAt >= newest - window; seq--)
            {
                recent.Add((At(seq).AppId, At(seq).Contact));
            }

            return Task.FromResult<IReadOnlyList<(string, ContactRef)>>([.. recent]);
        }
    }

    public Task<string> AddAliasAsync(string appId, string userKey, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_aliases.Add(appId, userKey, userId));
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_aliases.Resolve(appId, userKeys));
        }
    }

    public Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_aliases.KeysOf(appId, userId));
        }
    }

    public Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        long count = 0;
        lock (_gate)
        {
            var matches = ContactAwareMatch(query);
            foreach (var e in Candidates(query))
            {
                if (matches(e))
                {
                    count++;
                }
            }
        }

        return Task.FromResult(count);
    }

    public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        // Keep the newest (limit + 1) matches in a min-heap: one pass, no sort of the whole log.
        var heap = new PriorityQueue<ProductEventRecord, (DateTimeOffset, long)>();
        lock (_gate)
        {
            var matches = ContactAwareMatch(query);
            foreach (var e in Candidates(query))
            {
                if (!matches(e) || (query.After is { } after && !after.IsBefore(e.Timestamp, e.Seq)))
                {
                    continue;
                }

                heap.Enqueue(e, (e.Timestamp, e.Seq));
                if (heap.Count > query.Limit + 1)
                {
                    heap.Dequeue();
                }
            }
        }

        var newestFirst = new List<ProductEventRecord>(heap.Count);
        while (heap.Count > 0)
        {
            newestFirst.Add(heap.Dequeue());
        }

        newestFirst.Reverse();
        EventCursor? next = null;
        if (newestFirst.Count > query.Limit)
        {
            newestFirst.RemoveAt(newestFirst.Count - 1);
            var last = newestFirst[^1];
            next = new EventCursor(last.Timestamp, last.Seq);
        }

        return Task.FromResult(new EventPage(newestFirst, next));
    }

    private IEnumerable<ProductEventRecord> Candidates(EventQuery query)
    {
        List<long>? index = null;
        if (query.ProductId is not null)
        {
            index = _byProduct.GetValueOrDefault(GrainKeys.Product(query.AppId, query.ProductId)) ?? [];
        }
        else if (query.UserId is not null)
        {
            // A contact's events include those of the anonymous visitors merged into it.
            index = _byContact.GetValueOrDefault(GrainKeys.Contact(query.AppId, ContactRef.User(query.UserId))) ?? [];
            foreach (var key in _aliases.KeysOf(query.AppId, query.UserId))
            {
                index = [.. index, .. _byContact.GetValueOrDefault(GrainKeys.Contact(query.AppId, ContactRef.Visitor(key))) ?? []];
            }
        }

        if (index is not null)
        {
            foreach (var seq in index)
            {
                if (seq >= FirstSeq)
                {
                    yield return At(seq);
                }
            }

            yield break;
        }

        for (var seq = FirstSeq; seq < _nextSeq; seq++)
        {
            yield return At(seq);
        }
    }

    /// <summary>The query's filters (not its cursor), where a user id also matches the visitors merged into that contact.</summary>
    private Func<ProductEventRecord, bool> ContactAwareMatch(EventQuery query)
    {
        var filters = query with { After = null };
        var keys = query.UserId is null ? [] : _aliases.KeysOf(query.AppId, query.UserId);
        if (keys.Count == 0)
        {
            return filters.Matches;
        }

        var visitorFilters = filters with { UserId = null };
        return e => filters.Matches(e) || (e.UserId is null && keys.Contains(e.UserKey!) && visitorFilters.Matches(e));
    }

    private async IAsyncEnumerable<ProductEventRecord> ReadIndexed(
        Dictionary<string, List<long>> index, string key, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProductEventRecord[] entries;
        lock (_gate)
        {
            var first = Math.Max(afterSeq + 1, FirstSeq);
            entries = index.TryGetValue(key, out var seqs)
                ? seqs.Where(s => s >= first).Select(At).ToArray()
                : [];
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask;
    }

    private ProductEventRecord At(long seq) => _ring[(seq - 1) % _ring.Length];

    /// <summary>Stores the entry; answers the grain keys of its product and contact when the log held no entry for them before.</summary>
    private (string? NewProduct, string? NewContact) Store(ProductEventRecord e)
    {
        if (_count == _ring.Length)
        {
            Evict(At(FirstSeq));
            _count--;
        }

        _ring[(e.Seq - 1) % _ring.Length] = e;
        _count++;
        _nextSeq++;
        if (e.EventId is not null)
        {
            _eventIds[(e.AppId, e.EventId)] = (e.Id, e.Seq);
        }

        var product = GrainKeys.Product(e.AppId, e.ProductId);
        var contact = GrainKeys.Contact(e.AppId, e.Contact);
        return (AddToIndex(_byProduct, product, e.Seq) ? product : null, AddToIndex(_byContact, contact, e.Seq) ? contact : null);
    }

    private void Evict(ProductEventRecord oldest)
    {
        if (oldest.EventId is not null)
        {
            _eventIds.Remove((oldest.AppId, oldest.EventId));
        }
    }

    /// <summary>Adds a position to the key's index; answers whether the key had no entries before.</summary>
    private bool AddToIndex(Dictionary<string, List<long>> index, string key, long seq)
    {
        ref var seqs = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out var existed);
        seqs ??= [];

        // Entries that fell out of the ring are dropped from an index the next time its key is written. The key stays:
        // it had entries, and its grain may hold a snapshot of them, so it is never new again.
        var stale = 0;
        var first = FirstSeq;
        while (stale < seqs.Count && seqs[stale] < first)
        {
            stale++;
        }

        seqs.RemoveRange(0, stale);
        seqs.Add(seq);
        return !existed;
    }
}
