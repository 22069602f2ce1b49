using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Api.Contracts;

/// <summary>A segment: its definition, and whether its membership is final (<c>ready</c>) or still <c>building</c>.</summary>
public sealed record SegmentResponse(
    string Id,
    string Name,
    JsonElement Condition,
    string Status,
    double Progress,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SegmentResponse From(SegmentInfo s)
    {
        using var condition = JsonDocument.Parse(s.ConditionJson);
        return new(s.Id, s.Name, condition.RootElement.Clone(), StatusName(s.Status), Math.Round(s.Progress, 4), s.Version, s.CreatedAt, s.UpdatedAt);
    }

    public static string StatusName(SegmentStatus status) => status == SegmentStatus.Ready ? "ready" : "building";
}
