using Microsoft.Extensions.Logging;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// Which contact grain an entry goes to: its user id; else the contact its visitor key was merged into; else the
/// anonymous visitor. An entry that missed its contact here is still found by that contact's catch-up from the log.
/// </summary>
internal static class ContactRouting
{
    public static async Task<Dictionary<(string AppId, string UserKey), string>> OwnersAsync(
        IEventLog log, IReadOnlyList<ProductEventRecord> committed, ILogger logger)
    {
        var owners = new Dictionary<(string, string), string>();
        foreach (var app in committed.Where(e => e.UserId is null).GroupBy(e => e.AppId))
        {
            try
            {
                var keys = app.Select(e => e.UserKey!).Distinct(StringComparer.Ordinal).ToArray();
                foreach (var (key, userId) in await log.ResolveAliasesAsync(app.Key, keys))
                {
                    owners[(app.Key, key)] = userId;
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Looking up merged visitors failed; their events go to the visitor contacts");
            }
        }

        return owners;
    }

    public static ContactRef ContactOf(ProductEventRecord e, Dictionary<(string AppId, string UserKey), string> owners) =>
        e.UserId is null && owners.TryGetValue((e.AppId, e.UserKey!), out var userId) ? ContactRef.User(userId) : e.Contact;
}
