using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Automations;

/// <summary>The embedded default's runs: a dictionary and the waiting runs in due order, gone with the process.</summary>
public sealed class InMemoryAutomationRunStore : IAutomationRunStore
{
    private readonly Dictionary<(string App, string Automation, string Run), Entry> _runs = [];
    private readonly SortedSet<(DateTimeOffset DueAt, string App, string Automation, string Run)> _waiting = [];
    private readonly Lock _lock = new();

    public Task StartAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var run in runs)
            {
                if (_runs.TryAdd((run.AppId, run.AutomationId, run.RunId), new Entry(run, DateTimeOffset.MinValue)) && run.Status == RunStatus.Waiting)
                {
                    _waiting.Add((run.DueAt, run.AppId, run.AutomationId, run.RunId));
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        var claimed = new List<RunRecord>();
        lock (_lock)
        {
            foreach (var (dueAt, app, automation, run) in _waiting)
            {
                if (dueAt > now || claimed.Count == limit)
                {
                    break;
                }

                var entry = _runs[(app, automation, run)];
                if (entry.LeaseUntil <= now)
                {
                    entry.LeaseUntil = leaseUntil;
                    claimed.Add(entry.Run);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<RunRecord>>(claimed);
    }

    public Task CompleteAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var run in runs)
            {
                if (_runs.TryGetValue((run.AppId, run.AutomationId, run.RunId), out var entry) && entry.Run.Status == RunStatus.Waiting)
                {
                    _waiting.Remove((entry.Run.DueAt, run.AppId, run.AutomationId, run.RunId));
                    entry.Run = entry.Run with { Status = run.Status, Reason = run.Reason, UpdatedAt = run.UpdatedAt };
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values.Select(e => e.Run)
                .Where(r => r.AppId == appId && r.AutomationId == automationId && (status is null || r.Status == status))
                .OrderByDescending(r => r.DueAt).ThenBy(r => r.RunId, StringComparer.Ordinal).Take(limit).ToList());
        }
    }

    private sealed class Entry(RunRecord run, DateTimeOffset leaseUntil)
    {
        public RunRecord Run { get; set; } = run;

        public DateTimeOffset LeaseUntil { get; set; } = leaseUntil;
    }
}
