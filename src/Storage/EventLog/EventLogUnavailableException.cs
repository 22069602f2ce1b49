namespace ProductEvents.Storage.EventLog;

/// <summary>The log's storage cannot be reached; nothing of the attempted append was committed. Answered with 503.</summary>
public sealed class EventLogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
