using System.Net;
using System.Net.Sockets;

namespace ProductEvents.Testing;

public static class FreePorts
{
    /// <summary>A TCP port on the loopback that nothing listens on right now.</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
