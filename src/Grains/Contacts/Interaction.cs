namespace ProductEvents.Grains.Contacts;

/// <summary>One (product, event type) of a contact: how often, when first and last, and the newest event times.</summary>
[GenerateSerializer, Alias("pe.Interaction")]
public sealed class Interaction
{
    /// <summary>How many event times <see cref="Recent"/> keeps: windowed counts are exact up to this many per entry.</summary>
    public const int RecentTimesKept = 64;

    [Id(0)] public long Count { get; set; }

    [Id(1)] public DateTimeOffset FirstAt { get; set; }

    [Id(2)] public DateTimeOffset LastAt { get; set; }

    /// <summary>Log position of the newest event counted here; decides which entry goes when the cap is reached.</summary>
    [Id(3)] public long LastSeq { get; set; }

    /// <summary>The newest event times (event time, ascending; late events land in place), at most <see cref="RecentTimesKept"/>.</summary>
    [Id(4)] public List<DateTimeOffset> Recent { get; set; } = [];

    /// <summary>The event type counted here.</summary>
    [Id(5)] public ProductEventType Type { get; set; }

    public void AddTime(DateTimeOffset timestamp)
    {
        if (Recent.Capacity == 0)
        {
            // Most (product, type) entries of a contact see one event: room for one time, not the list's default four.
            Recent.Capacity = 1;
        }

        var at = Recent.BinarySearch(timestamp);
        Recent.Insert(at < 0 ? ~at : at, timestamp);
        if (Recent.Count > RecentTimesKept)
        {
            Recent.RemoveAt(0);
        }
    }
}
