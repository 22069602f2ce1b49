namespace ProductEvents.Storage.EventLog;

/// <summary>What an app's analytics index reads from the memory log: the app's entries after a position.</summary>
public sealed partial class InMemoryEventLog
{
    public Task<AppEntries> ReadAppAfterAsync(string appId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = new List<ProductEventRecord>();
            for (var seq = Math.Max(afterSeq + 1, FirstSeq); seq < _nextSeq && entries.Count < limit; seq++)
            {
                if (At(seq) is { } e && e.AppId == appId)
                {
                    entries.Add(e);
                }
            }

            return Task.FromResult(new AppEntries(entries, entries.Count == limit ? entries[^1].Seq : Math.Max(_nextSeq - 1, afterSeq)));
        }
    }
}
