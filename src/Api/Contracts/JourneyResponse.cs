namespace ProductEvents.Api.Contracts;

/// <summary>
/// A contact's journey: its newest events (at most the asked number) in event-time order, the segments it is in now,
/// and its automation runs, newest first.
/// </summary>
public sealed record JourneyResponse(
    string UserId,
    IReadOnlyList<ProductEventResponse> Events,
    IReadOnlyList<ContactSegmentResponse> Segments,
    IReadOnlyList<AutomationRunResponse> Runs);
