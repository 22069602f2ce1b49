namespace ProductEvents.Storage.EventLog;

/// <summary>Entries of one app chosen to leave the log (by their position and arrival, the log's key), and the products they touch.</summary>
public sealed record RetentionBatch(string AppId, IReadOnlyList<(long Seq, DateTimeOffset ReceivedAt)> Entries, IReadOnlyList<string> ProductIds)
{
    public long LastSeq => Entries.Count == 0 ? 0 : Entries[^1].Seq;
}
