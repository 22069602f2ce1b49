namespace ProductEvents.Storage.EventLog;

/// <summary>An app's entries in log order, and the position through which they are all of the app's entries.</summary>
public sealed record AppEntries(IReadOnlyList<ProductEventRecord> Entries, long Through);
