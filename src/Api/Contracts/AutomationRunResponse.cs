using ProductEvents.Abstractions.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Contracts;

/// <summary>One run of an automation for one contact: <c>user_id</c> or, for an anonymous contact, <c>user_key</c>.</summary>
public sealed record AutomationRunResponse(
    string RunId,
    string? UserId,
    string? UserKey,
    string Status,
    DateTime DueAt,
    string? Reason,
    DateTime UpdatedAt,
    RunTriggerResponse Trigger)
{
    public static AutomationRunResponse From(RunRecord run) => new(
        run.RunId,
        run.Contact.IsAnonymous ? null : run.Contact.Value,
        run.Contact.IsAnonymous ? run.Contact.Value : null,
        StatusNames.Of(run.Status),
        run.DueAt.UtcDateTime,
        run.Reason,
        run.UpdatedAt.UtcDateTime,
        RunTriggerResponse.From(run.Trigger));
}
