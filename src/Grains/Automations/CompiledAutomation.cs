namespace ProductEvents.Grains.Automations;

/// <summary>An automation definition parsed once per version, as contacts and runs use it.</summary>
public sealed record CompiledAutomation(string Id, int Version, DateTimeOffset CreatedAt, AutomationDefinition Definition);
