using ProductEvents.Storage.Apps;

namespace ProductEvents.Api.Contracts;

/// <summary>A stored app. Its keys are listed apart, never with their text.</summary>
public sealed record AppResponse(string Id, string Name, IReadOnlyList<string> AllowedOrigins, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AppResponse From(StoredApp app) => new(app.Id, app.Name, app.AllowedOrigins, app.CreatedAt, app.UpdatedAt);
}
