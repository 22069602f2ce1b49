using System.Buffers.Binary;
using System.Net;

namespace ProductEvents.SystemTests.Cluster;

/// <summary>
/// A compose network laid onto this machine's loopback (127.0.0.0/8 is all local on Linux): the service at host number
/// N of the subnet gets 127.0.B.N, so every process keeps an address of its own and the ports compose gives it. Nothing
/// is sent to the compose subnet's own addresses.
/// </summary>
public sealed class LoopbackNetwork
{
    private readonly IPNetwork _subnet;
    private readonly uint _block;

    private LoopbackNetwork(IPNetwork subnet, uint block)
    {
        _subnet = subnet;
        _block = block;
    }

    /// <summary>
    /// Lays <paramref name="subnet"/> onto the first block of 127.0.B.0/24 (B from the subnet's second number up) where no
    /// other process listens on any of <paramref name="listeners"/>' addresses and ports; fails naming them when none is free.
    /// </summary>
    public static LoopbackNetwork Choose(IPNetwork subnet, IReadOnlyList<(IPAddress Address, IReadOnlyCollection<int> Ports)> listeners)
    {
        if (subnet.PrefixLength < 24 || subnet.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new NotSupportedException($"The compose network {subnet} does not fit in a /24 of the loopback.");
        }

        var busy = new List<string>();
        var first = (int)subnet.BaseAddress.GetAddressBytes()[1];
        for (var b = first; b < Math.Min(first + 8, 256); b++)
        {
            var network = new LoopbackNetwork(subnet, Number(new IPAddress([127, 0, (byte)b, 0])));
            var taken = listeners
                .SelectMany(l => l.Ports.Select(port => (Address: network.Map(l.Address), Port: port)))
                .Where(l => !FreePorts.IsFree(l.Address, l.Port))
                .Select(l => $"{l.Address}:{l.Port}")
                .ToList();
            if (taken.Count == 0)
            {
                return network;
            }

            busy.Add(string.Join(", ", taken));
        }

        throw new InvalidOperationException(
            $"Something already listens where the compose services would: {string.Join("; ", busy)}. Stop it, or the other run of this test.");
    }

    /// <summary>The loopback address standing for <paramref name="address"/> on the compose network.</summary>
    public IPAddress Map(IPAddress address) =>
        _subnet.Contains(address)
            ? Address(_block + (Number(address) - Number(_subnet.BaseAddress)))
            : throw new InvalidOperationException($"{address} is not on the compose network {_subnet}.");

    private static uint Number(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    private static IPAddress Address(uint number)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, number);
        return new IPAddress(bytes);
    }
}
