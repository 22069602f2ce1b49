namespace ProductEvents.Api.Contracts;

/// <summary>The action of an automation or a campaign as written: <c>{"webhook": {...}}</c>.</summary>
public sealed record ActionRequest(WebhookRequest Webhook);
