namespace ProductEvents.Grains.Projections;

/// <summary>State rebuilt from the event log: it remembers the last log position it includes.</summary>
public interface IProjectionState
{
    long AppliedSeq { get; }

    /// <summary>Brings a snapshot just read from storage to the current shape (one written by an earlier version may differ).</summary>
    void AfterRead()
    {
    }
}
