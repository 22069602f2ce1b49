namespace ProductEvents.Abstractions.Automations;

/// <summary>Where runs are listed from (a table in durable mode): the run grains write their record on every change.</summary>
public interface IAutomationRunStore
{
    Task UpsertAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>The automation's runs, latest due first, optionally of one status.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default);
}
