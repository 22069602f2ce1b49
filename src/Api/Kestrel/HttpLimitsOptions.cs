using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Api.Kestrel;

/// <summary>
/// The limits Kestrel enforces before a request reaches the API. Bound from <c>Api:Http</c>; a request past one gets a
/// problem+json answer (<see cref="ProtocolErrorProblems"/>) and its connection is closed. Together they bound what an
/// idle, slow or greedy client holds: a connection slot, a timeout, a body no larger than the API reads.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string Section = "Api:Http";

    /// <summary>Request line (method, target and version) in bytes; longer is 414.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>All request headers together in bytes; more is 431.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Number of request headers; more is 431.</summary>
    [Range(10, 10_000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>How long a client may take to send the request line and headers; slower is 408.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A request body in bytes; more is 413. A backstop above the largest body an endpoint reads (a batch,
    /// <see cref="IngestLimits.MaxBatchBytes"/>): it must stay above it, so that endpoint's own 413, naming its
    /// limit, is what a client sees, and each endpoint's smaller limit still applies.
    /// </summary>
    [Range(IngestLimits.MaxBatchBytes + 1, 1024 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 2 * IngestLimits.MaxBatchBytes;

    /// <summary>After <see cref="MinRequestBodyGracePeriod"/>, a body arriving slower than this is cut off with a 408.</summary>
    [Range(1, 1_000_000)]
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:02", "00:05:00")]
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After <see cref="MinResponseGracePeriod"/>, a client reading an answer slower than this is disconnected.</summary>
    [Range(1, 1_000_000)]
    public int MinResponseBytesPerSecond { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:02", "00:05:00")]
    public TimeSpan MinResponseGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Open connections per process; one more is closed at once, before it is read.</summary>
    [Range(1, 1_000_000)]
    public int MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>Connections upgraded to another protocol (WebSockets); the API itself upgrades none.</summary>
    [Range(0, 1_000_000)]
    public int MaxConcurrentUpgradedConnections { get; set; } = 100;

    /// <summary>
    /// How long a connection may sit idle, before its first request or between requests. Above the 60 s idle timeout
    /// of common load balancers and proxies, so they close first and never reuse a connection the API is closing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(65);
}
