namespace ProductEvents.Storage.Apps;

/// <summary>An app kept as data: its id, a name for people, and the web origins whose pages may call the API.</summary>
public sealed record StoredApp(string Id, string Name, IReadOnlyList<string> AllowedOrigins, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
