namespace ProductEvents.Grains.Contacts;

/// <summary>A segment build asking a contact to evaluate itself: the segment and the version being built.</summary>
internal sealed record BuildRequest(string SegmentId, int Version);
