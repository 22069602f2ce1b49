using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>The answer to a batch: one result per event, in request order.</summary>
public sealed record BatchRequestResults(IReadOnlyList<BatchItemResult> Results);

/// <summary>
/// <c>status</c> is <c>accepted</c>, <c>duplicate</c> or <c>rejected</c> (then <c>errors</c> says why, by field);
/// <c>number</c> is the event's integer id, as in the single-event answer.
/// </summary>
public sealed record BatchItemResult(
    int Index,
    string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Number,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors);
