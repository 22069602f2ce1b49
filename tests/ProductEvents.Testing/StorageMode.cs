namespace ProductEvents.Testing;

/// <summary>Where a test host keeps the event log, grain snapshots, reminders and the other stores.</summary>
public enum StorageMode
{
    /// <summary>The embedded default: everything in memory, nothing durable.</summary>
    InMemory,

    /// <summary>Durable mode on PostgreSQL: a throwaway server of the host's own, or a database the test hands in.</summary>
    Postgres,
}
