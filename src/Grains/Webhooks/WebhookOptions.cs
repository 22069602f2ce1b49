namespace ProductEvents.Grains.Webhooks;

/// <summary>
/// Bound from <c>ProductEvents:Webhooks</c>: which non-public addresses webhooks may reach. By default none: loopback,
/// private, link-local (cloud metadata), shared, multicast and reserved addresses are refused (<see cref="WebhookAddressPolicy"/>).
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "ProductEvents:Webhooks";

    /// <summary>Allows 127.0.0.0/8, ::1 and <c>localhost</c> names: for a receiver on the same machine in development and tests.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Networks in CIDR notation (<c>10.20.0.0/16</c>, <c>fd00:1::/64</c>) an operator allows, such as an internal receiver's.</summary>
    public List<string> AllowedNetworks { get; set; } = [];
}
