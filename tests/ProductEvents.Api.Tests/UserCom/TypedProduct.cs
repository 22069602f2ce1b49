using System.Text.Json;

namespace ProductEvents.Api.Tests.UserCom;

/// <summary>A product as User.com's typed clients read it: integer id, the shop's custom id, date-times.</summary>
public sealed record TypedProduct(
    long Id,
    string CustomId,
    string? Name,
    IReadOnlyDictionary<string, JsonElement> Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> EventCounts);
