namespace ProductEvents.Api.Contracts;

/// <summary>
/// A webhook action as written: an absolute http(s) URL, the HMAC-SHA256 key of the signature (never answered back)
/// and a Liquid template of the body. Documents the shape only: the definition parsers read and validate the body.
/// </summary>
public sealed record WebhookRequest(string Url, string Secret, string? Template);
