namespace InClusterClient;

/// <summary>Bound from <c>Sample</c>: what to read.</summary>
public sealed class SampleOptions
{
    public string AppId { get; set; } = "demo";

    public string ProductId { get; set; } = "the_id";

    public string UserId { get; set; } = "contact-42";

    /// <summary>Empty: no segment is read.</summary>
    public string SegmentId { get; set; } = "";

    /// <summary>How long to print the segment's joins and leaves as they happen; zero: only those recorded so far.</summary>
    public TimeSpan Watch { get; set; }
}
