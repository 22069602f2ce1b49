namespace ProductEvents.Silo.Hosting;

/// <summary>Bound from <c>ProductEvents:Http</c>: whether the silo serves HTTP (the API, health, metrics, dashboard).</summary>
public sealed class HttpHostingOptions
{
    public const string Section = "ProductEvents:Http";

    /// <summary>
    /// False: the silo opens no HTTP port and only runs grains, schedulers and the delivery worker; the API is served
    /// by front doors (src/FrontDoor) that join the cluster as Orleans clients.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
