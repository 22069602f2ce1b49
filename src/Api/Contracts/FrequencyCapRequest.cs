namespace ProductEvents.Api.Contracts;

/// <summary>At most <c>max</c> runs fired per contact within <c>per</c> (an ISO-8601 duration or a number of seconds).</summary>
public sealed record FrequencyCapRequest(int Max, JsonElement Per);
