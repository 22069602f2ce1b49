namespace ProductEvents.Api.Tests.UserCom;

/// <summary>A Django REST framework page, as User.com's listings answer.</summary>
public sealed record TypedPage<T>(long Count, Uri? Next, Uri? Previous, IReadOnlyList<T> Results);
