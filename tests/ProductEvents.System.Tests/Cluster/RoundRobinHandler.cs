namespace ProductEvents.SystemTests.Cluster;

/// <summary>Sends each request to the next of several processes in turn (as a load balancer would), the dead ones included.</summary>
public sealed class RoundRobinHandler(IReadOnlyList<Uri> processes, int start)
    : DelegatingHandler(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
{
    private int _next = start;

    /// <summary>A client of the API of <paramref name="processes"/> in turn, starting after the <paramref name="start"/>-th.</summary>
    public static HttpClient CreateClient(IReadOnlyList<Uri> processes, string secretKey, int start = 0) =>
        ApiClients.Create(processes[0], secretKey, new RoundRobinHandler(processes, start));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var process = processes[(int)((uint)Interlocked.Increment(ref _next) % processes.Count)];
        request.RequestUri = new UriBuilder(request.RequestUri!) { Host = process.Host, Port = process.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
