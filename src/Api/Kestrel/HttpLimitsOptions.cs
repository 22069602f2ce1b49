namespace ProductEvents.Api.Kestrel;

/// <summary>
/// The limits Kestrel enforces before a request reaches the API. Bound from <c>Api:Http</c>; a request past one gets a
/// problem+json answer (<see cref="ProtocolErrorProblems"/>) and its connection is closed.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string Section = "Api:Http";

    /// <summary>Request line (method, target and version) in bytes; longer is 414.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>All request headers together in bytes; more is 431.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Number of request headers; more is 431.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>How long a client may take to send the request line and headers; slower is 408.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
