namespace ProductEvents.Silo.Hosting;

/// <summary>Bound from <c>Orleans</c>: the cluster's identity and this silo's ports.</summary>
public sealed class OrleansHostingOptions
{
    public const string Section = "Orleans";

    /// <summary>Stored rows are keyed by it: never change it for a deployment that has data.</summary>
    public string ServiceId { get; set; } = "product-events";

    public string ClusterId { get; set; } = "product-events";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
