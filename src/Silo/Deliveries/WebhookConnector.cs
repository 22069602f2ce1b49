using System.Net;
using System.Net.Sockets;
using ProductEvents.Grains.Webhooks;

namespace ProductEvents.Silo.Deliveries;

/// <summary>
/// Opens a webhook's connection (the <see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the host once, refuses
/// it when any address it resolves to is refused by <see cref="WebhookAddressPolicy"/>, and connects to exactly those
/// vetted addresses. Resolving and connecting in one place is what stops DNS rebinding (a name that answers a public
/// address to a check and a private one to the connect).
/// </summary>
public sealed class WebhookConnector(WebhookAddressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context.DnsEndPoint, cancellationToken);

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The host's addresses when every one is allowed; a literal address is taken as is.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} resolved to no address");
        }

        // All or nothing: a name that answers a refused address among allowed ones is refused as a whole, not guessed at.
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } kind)
            {
                var target = literal is null ? $"{host} ({address})" : address.ToString();
                throw new WebhookAddressRefusedException($"refused: the URL {WebhookAddressPolicy.Explain(target, kind)}");
            }
        }

        return addresses;
    }
}
