using System.Text.Json;

namespace ProductEvents.Api.Tests.UserCom;

/// <summary>A product event as User.com's typed clients read it: integer ids, the type's name, date-times.</summary>
public sealed record TypedProductEvent(
    long Id,
    string EventType,
    long Product,
    string ProductCustomId,
    long User,
    string? UserCustomId,
    string? UserKey,
    DateTimeOffset Timestamp,
    DateTimeOffset CreatedAt,
    string? EventId,
    IReadOnlyDictionary<string, JsonElement> Data,
    JsonElement? CustomData);
