using System.Security.Cryptography;
using System.Text;

namespace ProductEvents.Api.Apps;

/// <summary>Resolves the key of an <c>Authorization: Token &lt;key&gt;</c> (or <c>Bearer</c>) header to its app.</summary>
public sealed class AppKeyRegistry
{
    private readonly (byte[] Key, AppAccess Access)[] _keys;

    public AppKeyRegistry(IOptions<AppsOptions> options)
    {
        var keys = new List<(byte[], AppAccess)>();
        foreach (var (appId, app) in options.Value.Apps)
        {
            if (!string.IsNullOrEmpty(app.SecretKey))
            {
                keys.Add((Encoding.UTF8.GetBytes(app.SecretKey), new AppAccess(appId, IsSecret: true)));
            }

            if (!string.IsNullOrEmpty(app.PublicKey))
            {
                keys.Add((Encoding.UTF8.GetBytes(app.PublicKey), new AppAccess(appId, IsSecret: false)));
            }
        }

        _keys = [.. keys];
    }

    public AppAccess? Resolve(string? authorization)
    {
        var key = ExtractKey(authorization);
        if (key is null)
        {
            return null;
        }

        var presented = Encoding.UTF8.GetBytes(key);
        foreach (var (candidate, access) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, presented))
            {
                return access;
            }
        }

        return null;
    }

    private static string? ExtractKey(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = authorization[..space];
        var key = authorization[(space + 1)..].Trim();
        var known = scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        return known && key.Length > 0 ? key : null;
    }
}
