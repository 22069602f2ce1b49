namespace ProductEvents.Abstractions.Segments;

/// <summary>When a contact's segment memberships may next change with time alone (a window expiring).</summary>
public sealed record WindowCheck(string AppId, ContactRef Contact, DateTimeOffset DueAt);
