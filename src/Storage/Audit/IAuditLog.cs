namespace ProductEvents.Storage.Audit;

/// <summary>
/// Who changed what: keys and apps, segments, automations, campaigns, erasures. A table in durable mode (kept until an
/// operator deletes rows), the newest <see cref="InMemoryAuditLog.Capacity"/> entries in the embedded default.
/// </summary>
public interface IAuditLog
{
    /// <summary>Records the entry, stamped with the current time; completes once it is stored.</summary>
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>At most <paramref name="limit"/> entries matching <paramref name="query"/>, newest (highest id) first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, int limit, CancellationToken cancellationToken = default);
}
