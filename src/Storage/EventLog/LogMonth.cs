namespace ProductEvents.Storage.EventLog;

/// <summary>One month of the log (a PostgreSQL partition, by arrival time): [<paramref name="Start"/>, <paramref name="End"/>).</summary>
public sealed record LogMonth(string Partition, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string> AppIds);
