namespace ProductEvents.Abstractions;

/// <summary>Names of the Orleans stream provider and namespaces, in one place.</summary>
public static class StreamNames
{
    public const string Provider = "segments";

    /// <summary>Membership changes of one segment; the stream key is "{app}/{segmentId}".</summary>
    public const string SegmentMembership = "segment-membership";

    /// <summary>Orleans' stream subscription storage (the memory stream provider needs one).</summary>
    public const string PubSubStore = "PubSubStore";
}
