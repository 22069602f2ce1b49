namespace ProductEvents.Api.Apps;

/// <summary>
/// The app's public key given as <c>?key=</c>: <c>navigator.sendBeacon</c> cannot set an Authorization header. Only
/// a public key is taken this way (a secret key in a URL ends up in logs), and only on the ingest endpoints.
/// </summary>
public static class BeaconKey
{
    public const string QueryParameter = "key";

    public static AppAccess? Resolve(AppKeyRegistry registry, HttpRequest request)
    {
        if (!request.Query.TryGetValue(QueryParameter, out var key) || key.Count != 1 || string.IsNullOrWhiteSpace(key[0]))
        {
            return null;
        }

        var access = registry.Resolve("Token " + key[0]);
        return access is { IsSecret: false } ? access : null;
    }
}
