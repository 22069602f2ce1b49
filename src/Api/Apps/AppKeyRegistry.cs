namespace ProductEvents.Api.Apps;

/// <summary>
/// Resolves the key of an <c>Authorization: Token &lt;key&gt;</c> (or <c>Bearer</c>) header to its app: a key of
/// configuration (<see cref="AppsOptions"/>) or a stored one (<see cref="StoredAppKeys"/>). Keys are looked up by their
/// SHA-256: how long a lookup takes can tell at most something about the hash of what was presented, which says
/// nothing about any key.
/// </summary>
public sealed class AppKeyRegistry
{
    /// <summary>The audit log's names for whoever holds a key of configuration.</summary>
    public const string ConfiguredSecretActor = "config-key:secret";
    public const string ConfiguredPublicActor = "config-key:public";

    private readonly Dictionary<KeyHash, AppAccess> _configured = [];
    private readonly string[] _configuredAppIds;
    private readonly StoredAppKeys _stored;

    public AppKeyRegistry(IOptions<AppsOptions> options, StoredAppKeys stored)
    {
        foreach (var (appId, app) in options.Value.Apps)
        {
            if (!string.IsNullOrEmpty(app.SecretKey))
            {
                _configured[KeyHash.Of(app.SecretKey)] = new AppAccess(appId, IsSecret: true, ConfiguredSecretActor);
            }

            if (!string.IsNullOrEmpty(app.PublicKey))
            {
                _configured[KeyHash.Of(app.PublicKey)] = new AppAccess(appId, IsSecret: false, ConfiguredPublicActor);
            }
        }

        _configuredAppIds = [.. options.Value.Apps.Keys];
        _stored = stored;
    }

    /// <summary>Every app this process serves: configured and stored.</summary>
    public IReadOnlyCollection<string> AppIds => [.. _configuredAppIds.Union(_stored.AppIds, StringComparer.Ordinal)];

    public AppAccess? Resolve(string? authorization)
    {
        var key = ExtractKey(authorization);
        if (key.IsEmpty)
        {
            return null;
        }

        var hash = KeyHash.Of(key);
        return _configured.TryGetValue(hash, out var access) ? access : _stored.Find(hash);
    }

    private static ReadOnlySpan<char> ExtractKey(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return default;
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return default;
        }

        var scheme = authorization.AsSpan(0, space);
        var key = authorization.AsSpan(space + 1).Trim();
        var known = scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        return known ? key : default;
    }
}
