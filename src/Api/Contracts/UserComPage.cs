namespace ProductEvents.Api.Contracts;

/// <summary>A User.com-style page: the total <c>count</c>, the URLs of the neighbouring pages (or null) and the results.</summary>
public sealed record UserComPage<T>(long Count, string? Next, string? Previous, IReadOnlyList<T> Results);
