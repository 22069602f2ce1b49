namespace ProductEvents.Abstractions;

/// <summary>A contact is known by the shop's user id or, while anonymous, by a visitor key.</summary>
[GenerateSerializer, Immutable, Alias("pe.ContactRef")]
public readonly record struct ContactRef(
    [property: Id(0)] bool IsAnonymous,
    [property: Id(1)] string Value)
{
    public static ContactRef User(string userId) => new(false, userId);

    public static ContactRef Visitor(string userKey) => new(true, userKey);

    public static ContactRef From(string? userId, string? userKey) =>
        userId is not null ? User(userId) : Visitor(userKey ?? throw new ArgumentException("An event needs a user id or a user key."));
}
