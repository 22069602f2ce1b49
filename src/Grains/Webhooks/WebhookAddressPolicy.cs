using System.Net;

namespace ProductEvents.Grains.Webhooks;

/// <summary>
/// Which addresses a webhook may reach: public unicast only, unless <see cref="WebhookOptions"/> allows loopback or
/// named networks. A pure function of the address, used when a webhook is defined (literal addresses, <c>localhost</c>
/// names) and again when it is sent (every address its host resolves to, the one connected to among them).
/// </summary>
public sealed class WebhookAddressPolicy
{
    public const string Loopback = "loopback";

    // Special-purpose ranges (IANA registries, RFC 6890 and successors); the first that holds an address names its kind.
    private static readonly (IPNetwork Network, string Kind)[] Special =
    [
        (IPNetwork.Parse("127.0.0.0/8"), Loopback),
        (IPNetwork.Parse("::1/128"), Loopback),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("fc00::/7"), "private (unique local)"),
        (IPNetwork.Parse("fec0::/10"), "private (site-local)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT, cloud metadata)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.0.2.0/24"), "reserved"),
        (IPNetwork.Parse("192.88.99.0/24"), "reserved"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("198.51.100.0/24"), "reserved"),
        (IPNetwork.Parse("203.0.113.0/24"), "reserved"),
        (IPNetwork.Parse("::/96"), "reserved (IPv4-compatible)"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "reserved (local NAT64)"),
        (IPNetwork.Parse("100::/64"), "reserved"),
        (IPNetwork.Parse("2001::/23"), "reserved"),
        (IPNetwork.Parse("2001:db8::/32"), "reserved"),
        (IPNetwork.Parse("3fff::/20"), "reserved"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly bool _allowLoopback;
    private readonly IPNetwork[] _allowed;

    public WebhookAddressPolicy(IOptions<WebhookOptions> options)
        : this(options.Value)
    {
    }

    public WebhookAddressPolicy(WebhookOptions options)
    {
        _allowLoopback = options.AllowLoopback;
        _allowed = [.. options.AllowedNetworks.Select(n => IPNetwork.Parse(n))];
    }

    /// <summary>Null when a webhook may connect to <paramref name="address"/>; otherwise the kind of address it is.</summary>
    public string? Refusal(IPAddress address)
    {
        var effective = Effective(address);
        if (_allowed.Any(n => n.Contains(effective) || n.Contains(address)))
        {
            return null;
        }

        var kind = Kind(effective);
        return kind == Loopback && _allowLoopback ? null : kind;
    }

    /// <summary>
    /// Checks a webhook URL when it is defined, without resolving or connecting: a literal address as is, a
    /// <c>localhost</c> name as loopback. Any other host name is checked when the webhook is sent, after resolving it.
    /// Null when accepted, otherwise why not.
    /// </summary>
    public string? RefuseUrl(Uri url)
    {
        if (url.HostNameType is (UriHostNameType.IPv4 or UriHostNameType.IPv6) && IPAddress.TryParse(url.Host, out var literal))
        {
            return Refusal(literal) is { } kind ? Explain(literal.ToString(), kind) : null;
        }

        var host = url.IdnHost.TrimEnd('.');
        var local = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return local && Refusal(IPAddress.Loopback) is { } refused ? Explain(host, refused) : null;
    }

    /// <summary>The error recorded for a webhook whose address is refused.</summary>
    public static string Explain(string target, string kind) =>
        $"must not point to {target}, a {kind} address: webhooks reach public addresses only, unless an operator allows more ({WebhookOptions.Section}:AllowLoopback or :AllowedNetworks)";

    /// <summary>The special-purpose kind of an address (null for public unicast), looking into IPv4 embedded in IPv6.</summary>
    public static string? Kind(IPAddress address)
    {
        var effective = Effective(address);
        foreach (var (network, kind) in Special)
        {
            if (network.Contains(effective))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The IPv4 address an IPv6 one stands for (mapped, NAT64 or 6to4), else the address itself.</summary>
    private static IPAddress Effective(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes[12..]);
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes[2..6]) : address;
    }
}
