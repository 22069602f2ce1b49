using System.Text.Json.Nodes;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Storage.Apps;

/// <summary>The audit entries of app and key changes, the same from either store. No entry holds a key's text or hash.</summary>
internal static class AppAuditEntries
{
    public static AuditEntry Created(string actor, StoredApp app) => new(actor, AuditActions.AppCreate, app.Id, app.Id, Details(app));

    public static AuditEntry Updated(string actor, StoredApp app) => new(actor, AuditActions.AppUpdate, app.Id, app.Id, Details(app));

    public static AuditEntry KeyAdded(string actor, StoredKey key) =>
        new(actor, AuditActions.KeyAdd, key.AppId, key.Name, new JsonObject { ["kind"] = AppKeyKinds.Name(key.Kind) });

    public static AuditEntry KeyRotated(string actor, StoredKey added, DateTimeOffset oldRevokedAt) =>
        new(actor, AuditActions.KeyRotate, added.AppId, added.Name, new JsonObject
        {
            ["kind"] = AppKeyKinds.Name(added.Kind),
            ["old_key_revoked_at"] = oldRevokedAt.ToUniversalTime(),
        });

    public static AuditEntry KeyRevoked(string actor, string appId, string name, int keys) =>
        new(actor, AuditActions.KeyRevoke, appId, name, new JsonObject { ["keys"] = keys });

    private static JsonObject Details(StoredApp app) => new()
    {
        ["name"] = app.Name,
        ["allowed_origins"] = new JsonArray([.. app.AllowedOrigins.Select(o => (JsonNode?)JsonValue.Create(o))]),
    };
}
