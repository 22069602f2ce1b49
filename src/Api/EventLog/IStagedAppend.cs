namespace ProductEvents.Api.EventLog;

/// <summary>A commit written but not yet visible (<see cref="IEventLog.StageAsync"/>). Disposed uncommitted, it is dropped.</summary>
public interface IStagedAppend : IAsyncDisposable
{
    /// <summary>
    /// Makes the staged events visible and answers, in order, what the log did with each (as
    /// <see cref="IEventLog.AppendAsync"/>). Throws <see cref="EventLogUnavailableException"/> when it cannot commit.
    /// </summary>
    Task<AppendOutcome[]> CommitAsync(CancellationToken cancellationToken = default);
}
