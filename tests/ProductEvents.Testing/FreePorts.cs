using System.Net;
using System.Net.Sockets;

namespace ProductEvents.Testing;

/// <summary>
/// Ports for the servers tests start. Taken below the kernel's ephemeral range (32768 and up on Linux): a port that
/// port 0 hands out is free only until an outgoing connection of any process takes it as its local port, and the
/// suite makes thousands (HTTP clients, PostgreSQL, Orleans), so a server then failed to bind it now and then. Each
/// test process walks the range from a random start, and every port is checked free before it is handed out.
/// </summary>
public static class FreePorts
{
    private const int First = 12_000;
    private const int Last = 32_000;

    private static int _next = Random.Shared.Next(First, Last);

    /// <summary>A TCP port on the loopback that nothing listens on right now, outside the ephemeral range.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (int)((uint)(Interlocked.Increment(ref _next) - First) % (Last - First));
            if (IsFree(IPAddress.Loopback, port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free TCP port between {First} and {Last} on the loopback.");
    }

    /// <summary>Whether a server could listen on <paramref name="address"/> and <paramref name="port"/> right now.</summary>
    public static bool IsFree(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
