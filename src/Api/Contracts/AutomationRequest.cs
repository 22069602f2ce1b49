namespace ProductEvents.Api.Contracts;

/// <summary>
/// The body of an automation's create and update. <c>trigger</c> is <c>{"event": {"types", "product"}}</c> or
/// <c>{"segment": {"id", "on": "join"|"leave"}}</c>; <c>wait</c> an ISO-8601 duration or a number of seconds;
/// <c>unless</c> an event condition. Documents the shape only: the definition parser reads and validates the body.
/// </summary>
public sealed record AutomationRequest(
    string Name,
    JsonElement Trigger,
    JsonElement? Wait,
    JsonElement? Unless,
    ActionRequest Action,
    FrequencyCapRequest? FrequencyCap,
    bool? Enabled);
