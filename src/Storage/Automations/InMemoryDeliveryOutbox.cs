using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Storage.Automations;

/// <summary>The embedded default's outbox: a dictionary, gone with the process.</summary>
public sealed class InMemoryDeliveryOutbox(DeliverySignal signal) : IDeliveryOutbox
{
    private readonly Dictionary<string, Delivery> _deliveries = new(StringComparer.Ordinal);

    /// <summary>Ids of the pending and failed deliveries: the only ones a claim looks at.</summary>
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<int> EnqueueAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default)
    {
        var added = 0;
        lock (_lock)
        {
            foreach (var d in deliveries.Where(d => _deliveries.TryAdd(d.Id, d)))
            {
                Track(d);
                added++;
            }
        }

        signal.Pulse();
        return Task.FromResult(added);
    }

    public Task<IReadOnlyList<Delivery>> ClaimDueAsync(
        DateTimeOffset now, DateTimeOffset leaseUntil, int limit, int perApp = int.MaxValue, IReadOnlyCollection<string>? busyApps = null,
        CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var due = _open.Select(id => _deliveries[id])
                .Where(d => d.Status is DeliveryStatus.Pending or DeliveryStatus.Failed && d.NextAttemptAt <= now && busyApps?.Contains(d.AppId) != true)
                .GroupBy(d => d.AppId)
                .SelectMany(app => app.OrderBy(d => d.NextAttemptAt).Take(perApp))
                .OrderBy(d => d.NextAttemptAt).Take(limit).ToList();

            // Answered as they now stand, held until the lease ends, as a read of them would answer.
            for (var i = 0; i < due.Count; i++)
            {
                due[i] = _deliveries[due[i].Id] = due[i] with { NextAttemptAt = leaseUntil };
            }

            return Task.FromResult<IReadOnlyList<Delivery>>(due);
        }
    }

    public Task RecordAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var a in attempts)
            {
                if (_deliveries.TryGetValue(a.Id, out var d))
                {
                    Track(_deliveries[a.Id] = d with { Status = a.Status, Attempts = a.Attempts, NextAttemptAt = a.NextAttemptAt, LastError = a.LastError, UpdatedAt = a.At });
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<Delivery?> GetAsync(string appId, string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_deliveries.TryGetValue(id, out var d) && d.AppId == appId ? d : null);
        }
    }

    public Task<IReadOnlyList<Delivery>> ListAsync(string appId, DeliveryStatus? status, string? campaignId, string? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // The cursor is a position (its delivery's creation time and id), not an entry of this listing: the delivery
            // may have changed status since the page it ended. A cursor that is no delivery of the app lists nothing.
            Delivery? cursor = null;
            if (beforeId is not null && !(_deliveries.TryGetValue(beforeId, out cursor) && cursor.AppId == appId))
            {
                return Task.FromResult<IReadOnlyList<Delivery>>([]);
            }

            return Task.FromResult<IReadOnlyList<Delivery>>(_deliveries.Values
                .Where(d => d.AppId == appId && (status is null || d.Status == status) && (campaignId is null || d.CampaignId == campaignId)
                    && (cursor is null || d.CreatedAt < cursor.CreatedAt || (d.CreatedAt == cursor.CreatedAt && string.CompareOrdinal(d.Id, cursor.Id) < 0)))
                .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public Task<IReadOnlyDictionary<DeliveryStatus, long>> CountCampaignAsync(string appId, string campaignId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<DeliveryStatus, long>>(_deliveries.Values
                .Where(d => d.AppId == appId && d.CampaignId == campaignId)
                .GroupBy(d => d.Status).ToDictionary(g => g.Key, g => (long)g.Count()));
        }
    }

    public Task<bool> RetryAsync(string appId, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_deliveries.TryGetValue(id, out var d) || d.AppId != appId || d.Status != DeliveryStatus.Dead)
            {
                return Task.FromResult(false);
            }

            Track(_deliveries[id] = d with { Status = DeliveryStatus.Pending, Attempts = 0, NextAttemptAt = now, UpdatedAt = now });
        }

        signal.Pulse();
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<Delivery>> ListOfContactAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Delivery>>(_deliveries.Values
                .Where(d => d.AppId == appId && ContactOf(d) == contact)
                .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public Task<(int Pending, int All)> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, CancellationToken cancellationToken = default)
    {
        var erased = contacts.ToHashSet();
        var (pending, all) = (0, 0);
        lock (_lock)
        {
            foreach (var d in _deliveries.Values.Where(d => d.AppId == appId && ContactOf(d) is { } c && erased.Contains(c)).ToList())
            {
                _deliveries.Remove(d.Id);
                _open.Remove(d.Id);
                all++;
                pending += d.Status is DeliveryStatus.Pending or DeliveryStatus.Failed ? 1 : 0;
            }
        }

        return Task.FromResult((pending, all));
    }

    /// <summary>The contact a webhook's body names (<c>user_id</c>, else <c>user_key</c>), as PostgreSQL computes it in durable mode.</summary>
    private static ContactRef? ContactOf(Delivery d)
    {
        using var body = System.Text.Json.JsonDocument.Parse(d.Body);
        string? Text(string name) =>
            body.RootElement.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
        return Text("user_id") is { } userId ? ContactRef.User(userId) : Text("user_key") is { } userKey ? ContactRef.Visitor(userKey) : null;
    }

    private void Track(Delivery d)
    {
        if (d.Status is DeliveryStatus.Pending or DeliveryStatus.Failed)
        {
            _open.Add(d.Id);
        }
        else
        {
            _open.Remove(d.Id);
        }
    }
}
