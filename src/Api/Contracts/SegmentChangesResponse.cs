using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>Joins and leaves, oldest first; <c>next</c> continues after the last one.</summary>
public sealed record SegmentChangesResponse(IReadOnlyList<SegmentChangeResponse> Results, string? Next);

/// <param name="Erased">Only on the leave recorded when the contact was erased (<c>DELETE /api/v1/contacts/{user_id}</c>).</param>
public sealed record SegmentChangeResponse(
    long Number,
    string? UserId,
    string? UserKey,
    string Change,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Erased = false);
