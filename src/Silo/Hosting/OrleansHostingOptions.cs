using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Silo.Hosting;

/// <summary>Bound from <c>Orleans</c>: the cluster's identity and this silo's ports.</summary>
public sealed class OrleansHostingOptions
{
    public const string Section = ClusterDefaults.Section;

    /// <summary>Stored rows are keyed by it: never change it for a deployment that has data.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    [Range(1, 65_535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65_535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at (durable mode); loopback for a single machine.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Durable mode in Kubernetes: the silo watches the cluster's pods (Microsoft.Orleans.Hosting.Kubernetes), so a
    /// silo whose pod is gone is declared dead at once rather than after missed probes. Needs the pod labels
    /// <c>orleans/serviceId</c> and <c>orleans/clusterId</c>, POD_NAME and POD_NAMESPACE, and a role that may read pods.
    /// </summary>
    public bool Kubernetes { get; set; }
}
