using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary>
/// Real Kestrel on loopback with a small connection limit and short idle timeouts: thousands of idle connections and
/// clients sending a byte a second hold slots only until a timeout frees them, so a normal client's requests all
/// succeed. Only generous deadlines, no timing asserts: the machine may be busy.
/// </summary>
public sealed class ConnectionLimitTests : IAsyncLifetime
{
    private const int IdleConnections = 2_000;
    private const int NormalRequests = 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private TestHost _host = null!;

    private Uri Address => _host.Address;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(Keys.Settings())
        {
            ["Api:Http:MaxConcurrentConnections"] = "200",
            ["Api:Http:KeepAliveTimeout"] = "00:00:03",
            ["Api:Http:RequestHeadersTimeout"] = "00:00:03",
            ["Api:Http:MinRequestBodyGracePeriod"] = "00:00:02",

            // Every connection past the limit is logged as rejected: thousands of lines that say nothing here.
            ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
        };
        _host = await new TestHostBuilder().WithSettings(settings).StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task IdleConnectionsAndByteASecondClientsDoNotStarveANormalClient()
    {
        using var timeout = new CancellationTokenSource(Deadline);

        // Connected before the flood, so each holds a slot of its own and is cut off for its slowness, not the limit.
        using var slowHeaders = await ConnectAsync(timeout.Token);
        using var slowBody = await ConnectAsync(timeout.Token);
        var headersAnswer = ByteASecondAsync(slowHeaders, "", "POST /api/v1/product-events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + new string('a', 100), timeout.Token);
        var bodyAnswer = ByteASecondAsync(
            slowBody,
            $"POST /api/v1/product-events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {Keys.AlphaSecret}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
            new string(' ', 100),
            timeout.Token);
        var idle = new ConcurrentBag<Socket>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, IdleConnections), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = timeout.Token }, async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                try
                {
                    await socket.ConnectAsync(Address.Host, Address.Port, ct);
                }
                catch (SocketException)
                {
                    // Past the listen backlog a connect may fail; what counts is that the server is flooded.
                }
            });

            var answered = await NormalClientAsync(timeout.Token);

            Assert.Equal(NormalRequests, answered);
            Assert.StartsWith("HTTP/1.1 408", await headersAnswer);
            Assert.StartsWith("HTTP/1.1 408", await bodyAnswer);

            // Past the limit at once, the others after the keep-alive timeout: no idle connection is kept for good.
            await Task.WhenAll(idle.Where(s => s.Connected).Select(s => ClosedByServerAsync(s, timeout.Token)));
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Sends events one after another, each tried again (on a new connection) until it is accepted.</summary>
    private async Task<int> NormalClientAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMilliseconds(500) })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", Keys.AlphaSecret);
        var answered = 0;
        for (var i = 0; i < NormalRequests; i++)
        {
            var body = new JsonObject { ["event_id"] = $"normal-{Guid.NewGuid():N}", ["product_id"] = "p-normal", ["event_type"] = "view", ["user_id"] = "u-normal" };
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/v1/product-events", body, cancellationToken);
                    Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                    answered++;
                    break;
                }
                catch (HttpRequestException)
                {
                    // Turned away while the idle connections held every slot: they are closed within the keep-alive timeout.
                    await Task.Delay(100, cancellationToken);
                }
            }
        }

        return answered;
    }

    private static async Task ClosedByServerAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            Assert.Equal(0, await socket.ReceiveAsync(new byte[1], cancellationToken));
        }
        catch (SocketException)
        {
            // Reset rather than closed: closed all the same.
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Address.Host, Address.Port, cancellationToken);
        return socket;
    }

    /// <summary>
    /// Sends <paramref name="prefix"/>, then <paramref name="trickle"/> a byte a second, until the server answers or
    /// closes; answers what it sent first ("" when it closed without a word).
    /// </summary>
    private static async Task<string> ByteASecondAsync(Socket socket, string prefix, string trickle, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var ended = socket.ReceiveAsync(buffer, cancellationToken).AsTask();
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(prefix), cancellationToken);
            foreach (var b in Encoding.ASCII.GetBytes(trickle))
            {
                if (await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)) == ended)
                {
                    break;
                }

                await socket.SendAsync(new[] { b }, cancellationToken);
            }
        }
        catch (SocketException)
        {
            // The server closed the connection while a byte was on its way; its answer, if any, is still readable.
        }

        var received = await ended;
        return Encoding.ASCII.GetString(buffer, 0, received);
    }
}
