namespace ProductEvents.Storage.EventLog;

/// <summary>A contact whose entries left the log, queued (at <paramref name="QueuedAt"/>) for its grain to rebuild.</summary>
public sealed record ContactReload(string AppId, ContactRef Contact, DateTimeOffset QueuedAt);
