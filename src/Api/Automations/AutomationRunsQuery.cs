namespace ProductEvents.Api.Automations;

/// <summary>
/// The query of an automation's runs: <c>status</c> (waiting, cancelled, fired, capped) and <c>limit</c> (1 to 1000).
/// Bound as text so that a bad value gets the listing's own 400, naming the parameter.
/// </summary>
public sealed record AutomationRunsQuery(string? Status, string? Limit);
