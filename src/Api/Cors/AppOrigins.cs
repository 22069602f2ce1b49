namespace ProductEvents.Api.Cors;

/// <summary>
/// The browser origins each app allows, normalized: configured (<c>ProductEvents:Apps:&lt;appId&gt;:AllowedOrigins</c>)
/// and stored (<see cref="StoredAppKeys"/>); an app in both allows the origins of either.
/// </summary>
public sealed class AppOrigins
{
    public const string Any = "*";

    private readonly Dictionary<string, HashSet<string>> _byApp = new(StringComparer.Ordinal);
    private readonly HashSet<string> _all = new(StringComparer.OrdinalIgnoreCase);
    private readonly StoredAppKeys _stored;

    public AppOrigins(IOptions<AppsOptions> options, StoredAppKeys stored)
    {
        _stored = stored;
        foreach (var (appId, app) in options.Value.Apps)
        {
            var origins = new HashSet<string>(app.AllowedOrigins.Select(Normalize), StringComparer.OrdinalIgnoreCase);
            _byApp[appId] = origins;
            _all.UnionWith(origins);
        }
    }

    /// <summary>Whether some app allows the origin: enough to answer a preflight, which carries no key.</summary>
    public bool AnyAppAllows(string origin) => _all.Contains(Any) || _all.Contains(Normalize(origin)) || _stored.AnyAppAllows(origin);

    public bool Allows(string appId, string origin) =>
        (_byApp.TryGetValue(appId, out var origins) && (origins.Contains(Any) || origins.Contains(Normalize(origin))))
        || _stored.Allows(appId, origin);

    public static string Normalize(string origin) => origin.Trim().TrimEnd('/');

    /// <summary>An origin is <c>*</c> or scheme, host and optional port: <c>https://shop.example:8443</c>.</summary>
    public static bool IsValid(string origin) =>
        origin == Any
        || (Uri.TryCreate(Normalize(origin), UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            && string.IsNullOrEmpty(uri.UserInfo)
            && !Normalize(origin).EndsWith('/'));
}
