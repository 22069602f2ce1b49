using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>The answer to a batch: one result per event, in request order.</summary>
public sealed record BatchRequestResults(IReadOnlyList<BatchItemResult> Results);

/// <summary><c>status</c> is <c>accepted</c>, <c>duplicate</c> or <c>rejected</c> (then <c>errors</c> says why, by field).</summary>
public sealed record BatchItemResult(
    int Index,
    string? Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors);
