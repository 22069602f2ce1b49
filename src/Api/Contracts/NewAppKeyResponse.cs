using ProductEvents.Storage.Apps;

namespace ProductEvents.Api.Contracts;

/// <summary>A key just made: <c>key</c> is its text, answered this once and stored only as a hash.</summary>
public sealed record NewAppKeyResponse(string AppId, long Id, string Name, string Kind, string Key, DateTimeOffset CreatedAt)
{
    public static NewAppKeyResponse From(StoredKey stored, string key) =>
        new(stored.AppId, stored.Id, stored.Name, AppKeyKinds.Name(stored.Kind), key, stored.CreatedAt);
}
