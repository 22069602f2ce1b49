namespace ProductEvents.Storage.Audit;

/// <summary>The embedded default's audit log: the newest <see cref="Capacity"/> entries, gone with the process.</summary>
public sealed class InMemoryAuditLog(TimeProvider clock) : IAuditLog
{
    public const int Capacity = 100_000;

    private readonly LinkedList<AuditRecord> _records = new();
    private readonly Lock _lock = new();
    private long _lastId;

    public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var details = entry.Details?.DeepClone().AsObject();
            _records.AddLast(new AuditRecord(++_lastId, clock.GetUtcNow(), entry.Actor, entry.Action, entry.AppId, entry.Subject, details));
            if (_records.Count > Capacity)
            {
                _records.RemoveFirst();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, int limit, CancellationToken cancellationToken = default)
    {
        var found = new List<AuditRecord>();
        lock (_lock)
        {
            for (var node = _records.Last; node is not null && found.Count < limit; node = node.Previous)
            {
                var record = node.Value;
                if ((query.Before is not { } before || record.Id < before)
                    && (query.AppId is null || record.AppId == query.AppId)
                    && (query.Action is null || record.Action == query.Action)
                    && (query.Since is not { } since || record.At >= since)
                    && (query.Until is not { } until || record.At < until))
                {
                    found.Add(record with { Details = record.Details?.DeepClone().AsObject() });
                }
            }
        }

        return Task.FromResult<IReadOnlyList<AuditRecord>>(found);
    }
}
