namespace ProductEvents.Storage.Audit;

/// <summary>
/// Which entries to list, newest first: of one app and one action when given, written at or after
/// <see cref="Since"/> and before <see cref="Until"/>, with an id below <see cref="Before"/> (the previous page's last).
/// </summary>
public sealed record AuditQuery(string? AppId = null, string? Action = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, long? Before = null);
