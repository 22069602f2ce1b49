using System.Text.Json.Nodes;

namespace ProductEvents.Testing;

/// <summary>One request the receiver got: the exact body bytes, their JSON, the signature header and what it answered.</summary>
public sealed record ReceivedWebhook(byte[] Body, JsonObject Json, string? Signature, string? DeliveryId, int AnsweredStatus);
