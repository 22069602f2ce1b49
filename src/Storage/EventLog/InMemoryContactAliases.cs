namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The memory log's record of which anonymous visitor key belongs to which contact. The first claim of a key wins;
/// callers hold the log's lock.
/// </summary>
internal sealed class InMemoryContactAliases
{
    private readonly Dictionary<(string AppId, string UserKey), string> _owners = [];
    private readonly Dictionary<(string AppId, string UserId), List<string>> _keys = [];

    /// <summary>Claims the key for the user unless another user has it; answers the user the key belongs to.</summary>
    public string Add(string appId, string userKey, string userId)
    {
        if (_owners.TryGetValue((appId, userKey), out var owner))
        {
            return owner;
        }

        _owners[(appId, userKey)] = userId;
        if (!_keys.TryGetValue((appId, userId), out var keys))
        {
            _keys[(appId, userId)] = keys = [];
        }

        keys.Add(userKey);
        return userId;
    }

    public IReadOnlyDictionary<string, string> Resolve(string appId, IReadOnlyCollection<string> userKeys)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in userKeys)
        {
            if (_owners.TryGetValue((appId, key), out var owner))
            {
                owners[key] = owner;
            }
        }

        return owners;
    }

    public IReadOnlyList<string> KeysOf(string appId, string userId) =>
        _keys.TryGetValue((appId, userId), out var keys) ? [.. keys] : [];

    /// <summary>Forgets that the key belongs to the user (an erasure); a key another user claimed stays theirs.</summary>
    public void Remove(string appId, string userKey, string userId)
    {
        if (_owners.TryGetValue((appId, userKey), out var owner) && owner == userId)
        {
            _owners.Remove((appId, userKey));
            if (_keys.TryGetValue((appId, userId), out var keys))
            {
                keys.Remove(userKey);
                if (keys.Count == 0)
                {
                    _keys.Remove((appId, userId));
                }
            }
        }
    }
}
