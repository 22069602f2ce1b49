using ProductEvents.Abstractions.Automations;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.Automations;

/// <summary>The embedded default's runs: a dictionary and the waiting runs in due order, gone with the process.</summary>
public sealed class InMemoryAutomationRunStore : IAutomationRunStore
{
    private readonly Dictionary<(string App, string Automation, string Run), RunRecord> _runs = [];
    private readonly InMemoryDueQueue<(string App, string Automation, string Run)> _waiting = new();
    private readonly Lock _lock = new();

    public Task StartAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var run in runs)
            {
                var key = (run.AppId, run.AutomationId, run.RunId);
                if (_runs.TryAdd(key, run) && run.Status == RunStatus.Waiting)
                {
                    _waiting.Add(key, run.DueAt);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>([.. _waiting.Claim(now, leaseUntil, limit).Select(key => _runs[key])]);
        }
    }

    public Task CompleteAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var run in runs)
            {
                var key = (run.AppId, run.AutomationId, run.RunId);
                if (_runs.TryGetValue(key, out var stored) && stored.Status == RunStatus.Waiting)
                {
                    _waiting.Remove(key, stored.DueAt);
                    _runs[key] = stored with { Status = run.Status, Reason = run.Reason, UpdatedAt = run.UpdatedAt };
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values
                .Where(r => r.AppId == appId && r.AutomationId == automationId && (status is null || r.Status == status))
                .OrderByDescending(r => r.DueAt).ThenBy(r => r.RunId, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListOfContactAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values
                .Where(r => r.AppId == appId && r.Contact == contact)
                .OrderByDescending(r => r.DueAt).ThenBy(r => r.RunId, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    public Task<(int Waiting, int All)> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, CancellationToken cancellationToken = default)
    {
        var erased = contacts.ToHashSet();
        var (waiting, all) = (0, 0);
        lock (_lock)
        {
            foreach (var (key, run) in _runs.Where(r => r.Value.AppId == appId && erased.Contains(r.Value.Contact)).ToList())
            {
                _runs.Remove(key);
                all++;
                if (run.Status == RunStatus.Waiting)
                {
                    _waiting.Remove(key, run.DueAt);
                    waiting++;
                }
            }
        }

        return Task.FromResult((waiting, all));
    }
}
