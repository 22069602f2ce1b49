namespace ProductEvents.Api.Contracts;

/// <summary>The runs of an automation, newest first.</summary>
public sealed record AutomationRunListResponse(IReadOnlyList<AutomationRunResponse> Results);
