using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Api.Segments;

/// <summary>The embedded default's window checks: a dictionary and the checks in due order, gone with the process.</summary>
public sealed class InMemoryWindowCheckStore : IWindowCheckStore
{
    private readonly Dictionary<(string App, string Contact), Entry> _checks = [];
    private readonly SortedSet<(DateTimeOffset DueAt, string App, string Contact)> _due = [];
    private readonly Lock _lock = new();

    public Task WriteAsync(string appId, ContactRef contact, DateTimeOffset? dueAt)
    {
        var key = (App: appId, Contact: ContactKeys.Of(contact));
        lock (_lock)
        {
            if (_checks.Remove(key, out var old))
            {
                _due.Remove((old.Check.DueAt, key.App, key.Contact));
            }

            if (dueAt is { } due)
            {
                _checks[key] = new Entry(new WindowCheck(appId, contact, due), DateTimeOffset.MinValue);
                _due.Add((due, key.App, key.Contact));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WindowCheck>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        var claimed = new List<WindowCheck>();
        lock (_lock)
        {
            foreach (var (dueAt, app, contact) in _due)
            {
                if (dueAt > now || claimed.Count == limit)
                {
                    break;
                }

                var entry = _checks[(app, contact)];
                if (entry.LeaseUntil <= now)
                {
                    entry.LeaseUntil = leaseUntil;
                    claimed.Add(entry.Check);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<WindowCheck>>(claimed);
    }

    public Task CompleteAsync(IReadOnlyList<WindowCheck> checks, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var check in checks)
            {
                var key = (App: check.AppId, Contact: ContactKeys.Of(check.Contact));
                if (_checks.TryGetValue(key, out var entry) && entry.Check.DueAt == check.DueAt)
                {
                    _checks.Remove(key);
                    _due.Remove((check.DueAt, key.App, key.Contact));
                }
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Entry(WindowCheck check, DateTimeOffset leaseUntil)
    {
        public WindowCheck Check { get; } = check;

        public DateTimeOffset LeaseUntil { get; set; } = leaseUntil;
    }
}
