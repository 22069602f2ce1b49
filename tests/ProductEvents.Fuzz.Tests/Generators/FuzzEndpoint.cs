namespace ProductEvents.Fuzz.Tests.Generators;

/// <summary>Every endpoint that reads a request body.</summary>
public enum FuzzEndpoint
{
    SingleEvent,
    BatchEvents,
    Identify,
    CreateSegment,
    UpdateSegment,
    CreateAutomation,
    UpdateAutomation,
    CreateCampaign,
    UserComEvent,
}
