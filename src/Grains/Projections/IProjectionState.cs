namespace ProductEvents.Grains.Projections;

/// <summary>State rebuilt from the event log: it remembers the last log position it includes.</summary>
public interface IProjectionState
{
    long AppliedSeq { get; }
}
