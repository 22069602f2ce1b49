namespace ProductEvents.Abstractions.Automations;

/// <summary>
/// One run of an automation, keyed "{app}/{automationId}/{runId}". The run id derives from the trigger, so a trigger
/// seen twice (a replay after a crash) starts the run once. A run fires at most once; a cancelled run never fires.
/// </summary>
[Alias("pe.IAutomationRunGrain")]
public interface IAutomationRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the wait; does nothing when this run was started before.</summary>
    [Alias("Start")]
    Task StartAsync(RunStart start);

    /// <summary>Fires the run if it is waiting and due (timer, reminder).</summary>
    [Alias("Fire")]
    Task FireAsync();

    [Alias("Get")]
    Task<RunRecord?> GetAsync();
}
