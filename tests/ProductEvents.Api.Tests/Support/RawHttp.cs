using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ProductEvents.Api.Tests.Support;

/// <summary>
/// Writes bytes HttpClient would never send (broken framing, malformed request lines, huge headers) to a host on
/// loopback and reads the answers off the socket.
/// </summary>
public sealed class RawHttp : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly List<byte> _received = [];
    private bool _closed;

    private RawHttp()
    {
    }

    public static async Task<RawHttp> ConnectAsync(Uri address)
    {
        var raw = new RawHttp();
        await raw._socket.ConnectAsync(address.Host, address.Port);
        return raw;
    }

    /// <summary>Sends one request on a fresh connection and reads its answer.</summary>
    public static async Task<RawResponse> SendAsync(Uri address, string request)
    {
        using var raw = await ConnectAsync(address);
        await raw.WriteAsync(request);
        return await raw.ReadResponseAsync();
    }

    public async Task WriteAsync(string text) => await _socket.SendAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads the next response; <paramref name="head"/> says it has no body whatever its headers say.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        int end;
        while ((end = IndexOfHeaderEnd()) < 0)
        {
            await ReceiveAsync(timeout.Token, "the response headers never arrived");
        }

        var lines = Encoding.ASCII.GetString(_received.GetRange(0, end).ToArray()).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
        _received.RemoveRange(0, end + 4);

        int bodyLength;
        if (head || status is 204 or 304)
        {
            bodyLength = 0;
        }
        else if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return new RawResponse(status, headers, await ReadChunkedAsync(timeout.Token));
        }
        else if (headers.TryGetValue("content-length", out var declared))
        {
            bodyLength = int.Parse(declared, CultureInfo.InvariantCulture);
            while (_received.Count < bodyLength)
            {
                await ReceiveAsync(timeout.Token, "the body ended before its declared length");
            }
        }
        else
        {
            while (!_closed)
            {
                await ReceiveAsync(timeout.Token, "the connection was never closed");
            }

            bodyLength = _received.Count;
        }

        var body = Encoding.UTF8.GetString(_received.GetRange(0, bodyLength).ToArray());
        _received.RemoveRange(0, bodyLength);
        return new RawResponse(status, headers, body);
    }

    private async Task<string> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var body = new List<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf("\r\n"u8)) < 0)
            {
                await ReceiveAsync(cancellationToken, "a chunk size never arrived");
            }

            var size = int.Parse(Encoding.ASCII.GetString(_received.GetRange(0, lineEnd).ToArray()).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            _received.RemoveRange(0, lineEnd + 2);
            while (_received.Count < size + 2)
            {
                await ReceiveAsync(cancellationToken, "a chunk ended early");
            }

            body.AddRange(_received.GetRange(0, size));
            _received.RemoveRange(0, size + 2);
            if (size == 0)
            {
                return Encoding.UTF8.GetString(body.ToArray());
            }
        }
    }

    /// <summary>Awaits the server closing the connection and answers what it sent after the last response read.</summary>
    public async Task<int> ReadUntilClosedAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!_closed)
        {
            await ReceiveAsync(timeout.Token, "the connection was never closed");
        }

        return _received.Count;
    }

    public void Dispose() => _socket.Dispose();

    private async Task ReceiveAsync(CancellationToken cancellationToken, string failure)
    {
        Assert.False(_closed, $"{failure}: the server closed the connection");
        var buffer = new byte[8192];
        int read;
        try
        {
            read = await _socket.ReceiveAsync(buffer, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{failure} within {Deadline.TotalSeconds} s");
            throw;
        }
        catch (SocketException)
        {
            read = 0;
        }

        _received.AddRange(buffer.AsSpan(0, read).ToArray());
        _closed = read == 0;
    }

    private int IndexOfHeaderEnd() => IndexOf("\r\n\r\n"u8);

    private int IndexOf(ReadOnlySpan<byte> value) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_received).IndexOf(value);
}
