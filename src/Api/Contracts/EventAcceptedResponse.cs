using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// The answer to one ingested event: its id and its integer id <c>number</c> (its log position), the first event's when
/// it is a duplicate. <c>number</c> is left out for a duplicate of an event the log no longer holds.
/// </summary>
public sealed record EventAcceptedResponse(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Number,
    bool Duplicate);
