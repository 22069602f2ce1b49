using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Silo.Hosting;

/// <summary>Bound from <c>Orleans</c>: the cluster's identity and this silo's ports.</summary>
public sealed class OrleansHostingOptions
{
    public const string Section = "Orleans";

    /// <summary>Stored rows are keyed by it: never change it for a deployment that has data.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "product-events";

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "product-events";

    [Range(1, 65_535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65_535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at (durable mode); loopback for a single machine.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";
}
