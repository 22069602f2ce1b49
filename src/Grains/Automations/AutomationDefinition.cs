namespace ProductEvents.Grains.Automations;

/// <summary>
/// A validated automation. Exactly one of <see cref="EventTrigger"/> (types and product filters) and
/// <see cref="SegmentTrigger"/> is set. <see cref="UnlessJson"/> is what contacts evaluate at fire time.
/// </summary>
public sealed record AutomationDefinition(
    string Name,
    bool Enabled,
    EventCondition? EventTrigger,
    SegmentTrigger? SegmentTrigger,
    TimeSpan Wait,
    UnlessCondition? Unless,
    string? UnlessJson,
    WebhookAction Webhook,
    FrequencyCap? Cap);
