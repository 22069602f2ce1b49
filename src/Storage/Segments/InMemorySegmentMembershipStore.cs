using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Storage.Segments;

/// <summary>The embedded default's memberships: sorted dictionaries per segment and a change feed of the newest 100,000 changes each.</summary>
public sealed class InMemorySegmentMembershipStore : ISegmentMembershipStore
{
    private const int ChangesKept = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, DateTimeOffset>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SegmentChange>> _changes = new(StringComparer.Ordinal);
    private long _nextNumber = 1;

    public Task ApplyAsync(string appId, string segmentId, IReadOnlyList<MembershipChange> changes, CancellationToken cancellationToken = default)
    {
        var key = GrainKeys.Segment(appId, segmentId);
        lock (_gate)
        {
            var members = Members(key);
            var feed = Feed(key);
            foreach (var change in changes)
            {
                var contactKey = ContactKeys.Of(change.Contact);
                var changed = change.IsMember ? members.TryAdd(contactKey, change.At) : members.Remove(contactKey);
                if (changed)
                {
                    feed.Add(new SegmentChange(_nextNumber++, change.Contact, change.IsMember, change.At));
                    if (feed.Count > ChangesKept)
                    {
                        feed.RemoveRange(0, feed.Count - ChangesKept);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SegmentMember>> ListAsync(string appId, string segmentId, string? afterContactKey, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SegmentMember> page = Members(GrainKeys.Segment(appId, segmentId))
                .Where(m => afterContactKey is null || string.CompareOrdinal(m.Key, afterContactKey) > 0)
                .Take(limit)
                .Select(m => new SegmentMember(ContactKeys.Parse(m.Key), m.Value))
                .ToArray();
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> SegmentsOfAsync(string appId, ContactRef contact, CancellationToken cancellationToken = default)
    {
        var prefix = GrainKeys.Segment(appId, "");
        var contactKey = ContactKeys.Of(contact);
        lock (_gate)
        {
            IReadOnlyDictionary<string, DateTimeOffset> segments = _members
                .Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && m.Value.ContainsKey(contactKey))
                .ToDictionary(m => m.Key[prefix.Length..], m => m.Value[contactKey], StringComparer.Ordinal);
            return Task.FromResult(segments);
        }
    }

    public Task<SegmentMember?> GetAsync(string appId, string segmentId, ContactRef contact, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Members(GrainKeys.Segment(appId, segmentId)).TryGetValue(ContactKeys.Of(contact), out var since)
                ? new SegmentMember(contact, since)
                : null);
        }
    }

    public Task<long> CountAsync(string appId, string segmentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)Members(GrainKeys.Segment(appId, segmentId)).Count);
        }
    }

    public Task<IReadOnlyList<SegmentChange>> ChangesAsync(string appId, string segmentId, DateTimeOffset? since, long afterNumber, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SegmentChange> page = Feed(GrainKeys.Segment(appId, segmentId))
                .Where(c => c.Number > afterNumber && (since is null || c.At >= since))
                .Take(limit)
                .ToArray();
            return Task.FromResult(page);
        }
    }

    public Task DeleteSegmentAsync(string appId, string segmentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _members.Remove(GrainKeys.Segment(appId, segmentId));
            _changes.Remove(GrainKeys.Segment(appId, segmentId));
        }

        return Task.CompletedTask;
    }

    public Task<int> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var prefix = GrainKeys.Segment(appId, "");
        var erased = contacts.ToHashSet();
        var ended = 0;
        lock (_gate)
        {
            foreach (var (_, feed) in _changes.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                feed.RemoveAll(c => !c.Erased && erased.Contains(c.Contact));
            }

            foreach (var (key, members) in _members.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                var feed = Feed(key);
                foreach (var contact in contacts.Where(c => members.Remove(ContactKeys.Of(c))))
                {
                    feed.Add(new SegmentChange(_nextNumber++, contact, false, at, Erased: true));
                    ended++;
                }
            }
        }

        return Task.FromResult(ended);
    }

    public Task<IReadOnlyList<(string SegmentId, SegmentChange Change)>> ChangesOfAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default)
    {
        var prefix = GrainKeys.Segment(appId, "");
        lock (_gate)
        {
            IReadOnlyList<(string, SegmentChange)> changes = _changes
                .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal))
                .SelectMany(f => f.Value.Where(c => c.Contact == contact).Select(c => (f.Key[prefix.Length..], c)))
                .OrderBy(c => c.Item2.Number)
                .Take(limit)
                .ToArray();
            return Task.FromResult(changes);
        }
    }

    private SortedDictionary<string, DateTimeOffset> Members(string key)
    {
        if (!_members.TryGetValue(key, out var members))
        {
            members = new SortedDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            _members[key] = members;
        }

        return members;
    }

    private List<SegmentChange> Feed(string key)
    {
        if (!_changes.TryGetValue(key, out var feed))
        {
            feed = [];
            _changes[key] = feed;
        }

        return feed;
    }
}
