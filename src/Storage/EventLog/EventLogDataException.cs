namespace ProductEvents.Storage.EventLog;

/// <summary>
/// PostgreSQL refused a commit for a value of its entries (SQLSTATE class 22 or 23), not for an outage: a gap in the
/// validation at the door. Nothing of the attempted append was committed; the ingest pipeline isolates the entries.
/// </summary>
public sealed class EventLogDataException(string message, Exception inner) : Exception(message, inner);
