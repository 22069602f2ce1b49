namespace ProductEvents.Silo.Deliveries;

/// <summary>A webhook's host resolved to an address the policy refuses: nothing was sent, and retrying would not help.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
