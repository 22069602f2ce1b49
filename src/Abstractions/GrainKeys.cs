namespace ProductEvents.Abstractions;

/// <summary>
/// Grain keys are scoped by app: "{app}/{id}". App ids never hold a slash, so the first one splits the key.
/// </summary>
public static class GrainKeys
{
    public static string Product(string appId, string productId) => $"{appId}/{productId}";

    public static string Contact(string appId, ContactRef contact) =>
        contact.IsAnonymous ? $"{appId}/k/{contact.Value}" : $"{appId}/u/{contact.Value}";

    public static string Segment(string appId, string segmentId) => $"{appId}/{segmentId}";

    /// <summary>Splits "{app}/{rest}" (a product or segment key).</summary>
    public static (string AppId, string Id) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    public static (string AppId, string ProductId) ParseProduct(string key) => Split(key);

    public static (string AppId, ContactRef Contact) ParseContact(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var appId = key[..slash];
        var kind = key[slash + 1];
        var value = key[(slash + 3)..];
        return (appId, kind == 'k' ? ContactRef.Visitor(value) : ContactRef.User(value));
    }
}
