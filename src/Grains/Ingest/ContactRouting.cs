using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>
/// Which contact grain an entry goes to: its user id; else the contact its visitor key was merged into; else the
/// anonymous visitor.
/// </summary>
internal static class ContactRouting
{
    /// <summary>The contacts the entries' visitor keys were merged into; throws when the log cannot tell (the writer asks again).</summary>
    public static async Task<Dictionary<(string AppId, string UserKey), string>> OwnersAsync(IEventLog log, IReadOnlyList<ProductEventRecord> committed)
    {
        var owners = new Dictionary<(string, string), string>();
        foreach (var app in committed.Where(e => e.UserId is null).GroupBy(e => e.AppId))
        {
            var keys = app.Select(e => e.UserKey!).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var (key, userId) in await log.ResolveAliasesAsync(app.Key, keys))
            {
                owners[(app.Key, key)] = userId;
            }
        }

        return owners;
    }

    public static ContactRef ContactOf(ProductEventRecord e, Dictionary<(string AppId, string UserKey), string> owners) =>
        e.UserId is null && owners.TryGetValue((e.AppId, e.UserKey!), out var userId) ? ContactRef.User(userId) : e.Contact;
}
