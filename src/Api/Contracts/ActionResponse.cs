namespace ProductEvents.Api.Contracts;

/// <summary>What an automation or a campaign does: <c>{"webhook": {...}}</c>, the only action.</summary>
public sealed record ActionResponse(WebhookResponse Webhook);
