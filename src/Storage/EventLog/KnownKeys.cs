using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Keys this process has seen committed in <c>log_key_hashes</c> (deploy/sql/V024), kept as 128-bit hashes with a seed
/// of the process's own. A commit registers only the keys of its events that are not here, so when keys repeat, as
/// they do in a shop, most commits register none. A key is here only once a commit holding its row has succeeded; a key
/// missing here is merely registered again (the insert finds its row and answers it is not new). At
/// <see cref="Capacity"/> hashes the set starts over. Safe for concurrent use.
/// </summary>
public sealed class KnownKeys(int capacity)
{
    private const int StackChars = 256;

    private readonly HashSet<UInt128> _hashes = [];
    private readonly Lock _gate = new();
    private readonly long _seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    public int Capacity { get; } = capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _hashes.Count;
            }
        }
    }

    /// <summary>The distinct product and contact keys of the events that are not known, each once, in event order.</summary>
    public List<(LogKey Key, UInt128 Hash)> Unknown(IEnumerable<ProductEventRecord> events)
    {
        var unknown = new List<(LogKey, UInt128)>();
        HashSet<UInt128>? taken = null;
        lock (_gate)
        {
            foreach (var e in events)
            {
                Check(LogKey.ProductOf(e));
                Check(LogKey.ContactOf(e));
            }
        }

        return unknown;

        void Check(LogKey key)
        {
            var hash = Hash(key);
            if (!_hashes.Contains(hash) && (taken ??= []).Add(hash))
            {
                unknown.Add((key, hash));
            }
        }
    }

    /// <summary>Call once the commit holding these keys' rows has succeeded.</summary>
    public void Remember(IReadOnlyCollection<(LogKey Key, UInt128 Hash)> keys)
    {
        lock (_gate)
        {
            if (_hashes.Count + keys.Count > Capacity)
            {
                _hashes.Clear();
            }

            foreach (var (_, hash) in keys)
            {
                _hashes.Add(hash);
            }
        }
    }

    /// <summary>XXH128 of the kind, the app id's length, the app id and the id: no two keys share their text.</summary>
    private UInt128 Hash(LogKey key)
    {
        var length = 3 + key.AppId.Length + key.Id.Length;
        char[]? rented = null;
        var text = length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(length));
        text[0] = key.Kind[0];
        text[1] = (char)(key.AppId.Length >> 16);
        text[2] = (char)key.AppId.Length;
        key.AppId.CopyTo(text[3..]);
        key.Id.CopyTo(text[(3 + key.AppId.Length)..]);
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(text[..length]), _seed);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return hash;
    }
}
