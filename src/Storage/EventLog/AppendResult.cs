namespace ProductEvents.Storage.EventLog;

/// <summary>
/// What one commit did: an outcome per appended event, in order, and the products and contacts the log held nothing
/// for before this commit (their grains need read neither a snapshot nor the log).
/// </summary>
public sealed record AppendResult(AppendOutcome[] Outcomes, NewKeys NewKeys);
