namespace ProductEvents.Abstractions.Automations;

/// <summary>What a message template sees as <c>contact</c>: identity, activity and the products it interacted with (newest first).</summary>
[GenerateSerializer, Immutable, Alias("pe.ContactTemplateData")]
public sealed record ContactTemplateData(
    [property: Id(0)] ContactRef Contact,
    [property: Id(1)] long EventCount,
    [property: Id(2)] DateTimeOffset? FirstSeenAt,
    [property: Id(3)] DateTimeOffset? LastSeenAt,
    [property: Id(4)] IReadOnlyList<string> ViewedProductIds,
    [property: Id(5)] IReadOnlyList<string> CartProductIds,
    [property: Id(6)] IReadOnlyList<string> PurchasedProductIds);
