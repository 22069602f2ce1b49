using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.Segments;

/// <summary>The embedded default's window checks: a dictionary and the checks in due order, gone with the process.</summary>
public sealed class InMemoryWindowCheckStore : IWindowCheckStore
{
    private readonly Dictionary<(string App, string Contact), WindowCheck> _checks = [];
    private readonly InMemoryDueQueue<(string App, string Contact)> _due = new();
    private readonly Lock _lock = new();

    public Task WriteAsync(string appId, ContactRef contact, DateTimeOffset? dueAt)
    {
        var key = (appId, ContactKeys.Of(contact));
        lock (_lock)
        {
            if (_checks.Remove(key, out var old))
            {
                _due.Remove(key, old.DueAt);
            }

            if (dueAt is { } due)
            {
                _checks[key] = new WindowCheck(appId, contact, due);
                _due.Add(key, due);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WindowCheck>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<WindowCheck>>([.. _due.Claim(now, leaseUntil, limit).Select(key => _checks[key])]);
        }
    }

    public Task CompleteAsync(IReadOnlyList<WindowCheck> checks, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var check in checks)
            {
                var key = (check.AppId, ContactKeys.Of(check.Contact));
                if (_checks.TryGetValue(key, out var stored) && stored.DueAt == check.DueAt)
                {
                    _checks.Remove(key);
                    _due.Remove(key, check.DueAt);
                }
            }
        }

        return Task.CompletedTask;
    }
}
