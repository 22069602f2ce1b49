using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A webhook action as answered: the secret is write-only, so only <c>secret_set</c> says one is held.
/// An automation's <c>template</c> is left out when its definition had none.
/// </summary>
public sealed record WebhookResponse(
    string Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Template,
    bool SecretSet);
