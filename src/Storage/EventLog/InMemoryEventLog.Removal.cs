namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Entries leaving the memory log before the ring drops them: a contact's erasure and an app's retention. A removed
/// entry's slot keeps its position and arrival time but belongs to no app, so no listing or replay finds it.
/// </summary>
public sealed partial class InMemoryEventLog : IContactLogData, IEventLogRetention
{
    private static readonly IReadOnlyDictionary<string, AttributeValue> NoAttributes = new Dictionary<string, AttributeValue>();

    private readonly Dictionary<(string AppId, ContactRef Contact), DateTimeOffset> _reloads = [];

    /// <summary>Orders the queued rebuilds (their <see cref="ContactReload.QueuedAt"/>): a counter, not a time.</summary>
    private long _reloadsQueued;

    public Task<IReadOnlyList<ProductEventRecord>> ReadContactPageAsync(string appId, ContactRef contact, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var first = Math.Max(afterSeq + 1, FirstSeq);
            IReadOnlyList<ProductEventRecord> page = (_byContact.GetValueOrDefault(GrainKeys.Contact(appId, contact)) ?? [])
                .Where(s => s >= first).Take(limit).Select(At).ToArray();
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyList<string>> ListProductsOfAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<string> products = EntriesOf(appId, userId, visitorKeys).Select(seq => At(seq).ProductId).Distinct(StringComparer.Ordinal).ToArray();
            return Task.FromResult(products);
        }
    }

    public Task<long> EraseContactAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var seqs = EntriesOf(appId, userId, visitorKeys).ToList();
            foreach (var seq in seqs)
            {
                Remove(seq);
            }

            // The contacts hold nothing now: a later event starts each one anew, and no segment build lists it.
            foreach (var contact in (IEnumerable<ContactRef>)[ContactRef.User(userId), .. visitorKeys.Select(ContactRef.Visitor)])
            {
                if (_byContact.TryGetValue(GrainKeys.Contact(appId, contact), out var left) && left.Count == 0)
                {
                    _byContact.Remove(GrainKeys.Contact(appId, contact));
                }
            }

            foreach (var key in visitorKeys)
            {
                _aliases.Remove(appId, key, userId);
            }

            return Task.FromResult((long)seqs.Count);
        }
    }

    /// <summary>The memory log has no months: retention deletes entries.</summary>
    public Task<IReadOnlyList<LogMonth>> ListMonthsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<LogMonth>>([]);

    public Task<IReadOnlyList<(string AppId, string ProductId)>> ListProductsOfMonthAsync(
        LogMonth month, (string AppId, string ProductId)? after, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<(string, string)>>([]);

    public Task DropMonthAsync(LogMonth month, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The memory log has no months.");

    public Task<RetentionBatch> NextBatchAsync(string appId, DateTimeOffset before, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        var entries = new List<(long, DateTimeOffset)>();
        var products = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            for (var seq = Math.Max(afterSeq + 1, FirstSeq); seq < _nextSeq && entries.Count < limit; seq++)
            {
                var e = At(seq);
                if (e.AppId == appId && e.ReceivedAt < before)
                {
                    entries.Add((seq, e.ReceivedAt));
                    products.Add(e.ProductId);
                }
            }
        }

        return Task.FromResult(new RetentionBatch(appId, entries, [.. products]));
    }

    public Task<int> RemoveAsync(RetentionBatch batch, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        lock (_gate)
        {
            foreach (var (seq, _) in batch.Entries)
            {
                if (seq < FirstSeq || At(seq).AppId != batch.AppId)
                {
                    continue;
                }

                var e = At(seq);
                var contact = e.UserId is null && _aliases.Resolve(e.AppId, [e.UserKey!]).TryGetValue(e.UserKey!, out var owner)
                    ? ContactRef.User(owner)
                    : (ContactRef?)null;
                Remove(seq);
                removed++;
                _reloads[(e.AppId, e.Contact)] = new DateTimeOffset(++_reloadsQueued, TimeSpan.Zero);
                if (contact is { } merged)
                {
                    _reloads[(e.AppId, merged)] = new DateTimeOffset(++_reloadsQueued, TimeSpan.Zero);
                }
            }
        }

        return Task.FromResult(removed);
    }

    /// <summary>Claims leave with their entries here.</summary>
    public Task<int> RemoveClaimsAsync(string appId, DateTimeOffset before, int limit, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<IReadOnlyList<ContactReload>> PendingReloadsAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ContactReload> pending = _reloads.OrderBy(r => r.Value).Take(limit)
                .Select(r => new ContactReload(r.Key.AppId, r.Key.Contact, r.Value)).ToArray();
            return Task.FromResult(pending);
        }
    }

    public Task CompleteReloadsAsync(IReadOnlyList<ContactReload> reloaded, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var r in reloaded)
            {
                if (_reloads.TryGetValue((r.AppId, r.Contact), out var queuedAt) && queuedAt == r.QueuedAt)
                {
                    _reloads.Remove((r.AppId, r.Contact));
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The positions of the user's entries and of the visitors' own entries; callers hold the lock.</summary>
    private IEnumerable<long> EntriesOf(string appId, string userId, IReadOnlyList<string> visitorKeys)
    {
        var first = FirstSeq;
        IEnumerable<ContactRef> contacts = [ContactRef.User(userId), .. visitorKeys.Select(ContactRef.Visitor)];
        return contacts
            .SelectMany(c => _byContact.GetValueOrDefault(GrainKeys.Contact(appId, c)) ?? [])
            .Where(s => s >= first)
            .Order();
    }

    /// <summary>Turns the entry at <paramref name="seq"/> into one of no app and takes it out of the indexes; callers hold the lock.</summary>
    private void Remove(long seq)
    {
        var e = At(seq);
        if (e.AppId.Length == 0)
        {
            return;
        }

        _ring[(seq - 1) % _ring.Length] = e with
        {
            AppId = "", ProductId = "", UserId = null, UserKey = "", Name = null, EventId = null, Attributes = NoAttributes, CustomDataJson = null,
        };
        if (e.EventId is not null && _eventIds.TryGetValue((e.AppId, e.EventId), out var claim) && claim.Seq == seq)
        {
            _eventIds.Remove((e.AppId, e.EventId));
        }

        Unindex(_byProduct, GrainKeys.Product(e.AppId, e.ProductId), seq);
        Unindex(_byContact, GrainKeys.Contact(e.AppId, e.Contact), seq);
    }

    private static void Unindex(Dictionary<string, List<long>> index, string key, long seq)
    {
        if (index.TryGetValue(key, out var seqs))
        {
            var at = seqs.BinarySearch(seq);
            if (at >= 0)
            {
                seqs.RemoveAt(at);
            }
        }
    }
}
