namespace ProductEvents.Storage.EventLog;

/// <summary>One page of a listing, and where the next one starts (null on the last page).</summary>
public sealed record EventPage(IReadOnlyList<ProductEventRecord> Results, EventCursor? Next);
