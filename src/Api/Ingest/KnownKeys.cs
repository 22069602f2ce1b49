using ProductEvents.Abstractions;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// Products and contacts with entries in commits this process made, kept as 64-bit hashes of their keys. Such a key is
/// not new to any later commit, so the lookup of new keys (one index probe per key in the log) skips it; when the
/// grains' keys repeat, as they do in a shop, most commits need no lookup at all. At <see cref="Capacity"/> hashes the
/// set starts over. A collision (of hashes, or of ids that run together across the separator) can only make a new key
/// look known, which costs its grain one needless read of storage on activation, never an entry.
/// </summary>
public sealed class KnownKeys(int capacity)
{
    private readonly HashSet<ulong> _hashes = [];

    public int Capacity { get; } = capacity;

    public int Count => _hashes.Count;

    /// <summary>
    /// The events of a commit whose product was not known before it, and those whose contact was not (what the lookup
    /// needs: every event of each such key); then every key of the commit is known. Call in commit order, once the
    /// commit is durable: not thread-safe.
    /// </summary>
    public UnknownKeys TakeUnknown(IReadOnlyList<ProductEventRecord> committed)
    {
        List<ProductEventRecord>? products = null;
        List<ProductEventRecord>? contacts = null;
        var hashes = new (ulong Product, ulong Contact)[committed.Count];
        for (var i = 0; i < committed.Count; i++)
        {
            var e = committed[i];
            hashes[i] = (Hash('p', e.AppId, e.ProductId), e.UserId is { } userId ? Hash('u', e.AppId, userId) : Hash('k', e.AppId, e.UserKey!));
            if (!_hashes.Contains(hashes[i].Product))
            {
                (products ??= []).Add(e);
            }

            if (!_hashes.Contains(hashes[i].Contact))
            {
                (contacts ??= []).Add(e);
            }
        }

        if (_hashes.Count + (2 * hashes.Length) > Capacity)
        {
            _hashes.Clear();
        }

        foreach (var (product, contact) in hashes)
        {
            _hashes.Add(product);
            _hashes.Add(contact);
        }

        return new UnknownKeys(products ?? [], contacts ?? []);
    }

    /// <summary>FNV-1a over the kind, the app id, a zero character and the id.</summary>
    private static ulong Hash(char kind, string appId, string id)
    {
        var hash = 14695981039346656037UL;
        hash = Step(hash, kind);
        foreach (var c in appId)
        {
            hash = Step(hash, c);
        }

        hash = Step(hash, '\0');
        foreach (var c in id)
        {
            hash = Step(hash, c);
        }

        return hash;

        static ulong Step(ulong hash, char c) => (hash ^ c) * 1099511628211UL;
    }
}

/// <summary>The events of a commit whose product (<see cref="ForProducts"/>) or contact (<see cref="ForContacts"/>) was not known.</summary>
public sealed record UnknownKeys(IReadOnlyList<ProductEventRecord> ForProducts, IReadOnlyList<ProductEventRecord> ForContacts)
{
    public bool IsEmpty => ForProducts.Count == 0 && ForContacts.Count == 0;
}
