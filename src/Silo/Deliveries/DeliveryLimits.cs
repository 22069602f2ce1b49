namespace ProductEvents.Silo.Deliveries;

/// <summary>What the delivery worker takes from a receiver at most.</summary>
public static class DeliveryLimits
{
    /// <summary>
    /// Bytes of a receiver's answer read (and dropped: only the status counts); past this the connection is closed
    /// rather than drained, so a receiver cannot feed a worker an endless body.
    /// </summary>
    public const int MaxResponseBodyBytes = 64 * 1024;

    /// <summary>A receiver's response headers in KiB (<see cref="SocketsHttpHandler.MaxResponseHeadersLength"/>).</summary>
    public const int MaxResponseHeadersKiB = 16;
}
