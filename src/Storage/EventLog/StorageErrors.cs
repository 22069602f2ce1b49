namespace ProductEvents.Storage.EventLog;

/// <summary>Tells PostgreSQL's refusals of a value apart from outages: only an outage is answered 503.</summary>
public static class StorageErrors
{
    /// <summary>Data exceptions (class 22) and integrity violations (class 23): the statement's values, not the server.</summary>
    public static bool IsDataError(Exception exception) =>
        exception is PostgresException { SqlState: [ '2', '2' or '3', ..] };
}
