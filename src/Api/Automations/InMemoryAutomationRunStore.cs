using System.Collections.Concurrent;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Automations;

/// <summary>The embedded default's run listing: a dictionary, gone with the process.</summary>
public sealed class InMemoryAutomationRunStore : IAutomationRunStore
{
    private readonly ConcurrentDictionary<(string App, string Automation, string Run), RunRecord> _runs = new();

    public Task UpsertAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        _runs[(run.AppId, run.AutomationId, run.RunId)] = run;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values
            .Where(r => r.AppId == appId && r.AutomationId == automationId && (status is null || r.Status == status))
            .OrderByDescending(r => r.DueAt).ThenBy(r => r.RunId, StringComparer.Ordinal).Take(limit).ToList());
}
