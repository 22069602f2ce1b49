namespace ProductEvents.Grains.Automations;

/// <summary>At most <see cref="Max"/> sends per contact within any <see cref="Per"/>.</summary>
public sealed record FrequencyCap(int Max, TimeSpan Per);
