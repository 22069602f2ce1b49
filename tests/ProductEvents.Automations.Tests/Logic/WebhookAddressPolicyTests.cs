using System.Net;
using System.Net.Sockets;
using ProductEvents.Grains.Webhooks;
using ProductEvents.Silo.Deliveries;

namespace ProductEvents.Automations.Tests.Logic;

/// <summary>
/// The webhook address policy as a pure function of addresses and URLs, and the connector that applies it to what a
/// host resolves to. Nothing here connects anywhere but to a listener on 127.0.0.1.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WebhookAddressPolicyTests
{
    private static readonly WebhookAddressPolicy Default = new(new WebhookOptions());
    private static readonly WebhookAddressPolicy LoopbackAllowed = new(new WebhookOptions { AllowLoopback = true });

    [Theory]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.170.2", "link-local")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("100.64.0.1", "shared")]
    [InlineData("100.100.100.200", "shared")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("192.0.0.170", "reserved")]
    [InlineData("198.18.0.1", "reserved")]
    [InlineData("203.0.113.7", "reserved")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::127.0.0.1", "reserved")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd00:ec2::254", "private")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fec0::1", "private")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("64:ff9b:1::1", "reserved")]
    [InlineData("2002:a00:1::1", "private")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("2001:db8::1", "reserved")]
    [InlineData("2001::1", "reserved")]
    public void SpecialPurposeAddressIsRefusedByDefaultNamingItsKind(string address, string kind)
    {
        var refusal = Default.Refusal(IPAddress.Parse(address));

        Assert.NotNull(refusal);
        Assert.StartsWith(kind, refusal);
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("11.0.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void PublicUnicastAddressIsAllowed(string address) =>
        Assert.Null(Default.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.53")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void AllowLoopbackAllowsLoopbackInEveryForm(string address) =>
        Assert.Null(LoopbackAllowed.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("192.168.0.10")]
    public void AllowLoopbackAllowsNothingElse(string address) =>
        Assert.NotNull(LoopbackAllowed.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void AllowedNetworksAllowTheirAddressesAndNoOthers()
    {
        var policy = new WebhookAddressPolicy(new WebhookOptions { AllowedNetworks = ["10.20.0.0/16", "fd00:1::/64"] });

        Assert.Null(policy.Refusal(IPAddress.Parse("10.20.3.4")));
        Assert.Null(policy.Refusal(IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.Null(policy.Refusal(IPAddress.Parse("fd00:1::5")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("10.21.0.1")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("fd00:2::5")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("127.0.0.1")));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://127.0.0.1:5432/")]
    [InlineData("http://0x7f000001:5432/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0/")]
    [InlineData("http://[::1]:8080/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://localhost/")]
    [InlineData("http://LOCALHOST./hook")]
    [InlineData("http://hooks.localhost:8080/")]
    public void UrlToARefusedAddressIsRefusedWithoutResolving(string url)
    {
        var refusal = Default.RefuseUrl(new Uri(url));

        Assert.NotNull(refusal);
        Assert.Contains("ProductEvents:Webhooks", refusal);
    }

    [Theory]
    [InlineData("https://hooks.example.com/x")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://[2606:4700:4700::1111]/")]
    [InlineData("https://receiver.internal/")]
    [InlineData("http://localhost.example.com/")]
    public void UrlToAPublicAddressOrAnotherNameIsAcceptedWhenDefined(string url) =>
        Assert.Null(Default.RefuseUrl(new Uri(url)));

    [Fact]
    public void LocalhostUrlIsAcceptedWhenLoopbackIsAllowed() =>
        Assert.Null(LoopbackAllowed.RefuseUrl(new Uri("http://localhost:8080/hook")));

    [Fact]
    public void UnparsableAllowedNetworkStopsTheStartNamingItsKey()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions { AllowedNetworks = ["10.0.0.0/8", "10.0.0.0/33", "intranet"] });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("AllowedNetworks:1:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("AllowedNetworks:2:", StringComparison.Ordinal));
        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public async Task NameResolvingToARefusedAddressIsRefusedBeforeAnyConnect()
    {
        using var listener = Listen();
        var connector = new WebhookConnector(Default, Resolve(IPAddress.Loopback));

        var refused = await Assert.ThrowsAsync<WebhookAddressRefusedException>(
            async () => await connector.ConnectAsync(new DnsEndPoint("hooks.test", Port(listener)), CancellationToken.None));

        Assert.Contains("hooks.test (127.0.0.1)", refused.Message);
        Assert.Contains("loopback", refused.Message);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task NameResolvingToAnAllowedAndARefusedAddressIsRefusedAsAWhole()
    {
        using var listener = Listen();
        var connector = new WebhookConnector(LoopbackAllowed, Resolve(IPAddress.Loopback, IPAddress.Parse("10.0.0.1")));

        var refused = await Assert.ThrowsAsync<WebhookAddressRefusedException>(
            async () => await connector.ConnectAsync(new DnsEndPoint("hooks.test", Port(listener)), CancellationToken.None));

        Assert.Contains("10.0.0.1", refused.Message);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task LiteralAddressIsCheckedAsIsWithoutResolving()
    {
        var connector = new WebhookConnector(Default, (_, _) => throw new InvalidOperationException("a literal address is not resolved"));

        await Assert.ThrowsAsync<WebhookAddressRefusedException>(
            async () => await connector.ConnectAsync(new DnsEndPoint("::ffff:127.0.0.1", 9), CancellationToken.None));
    }

    [Fact]
    public async Task AllowedNameIsConnectedToTheAddressThatWasChecked()
    {
        using var listener = Listen();
        var resolutions = 0;
        var connector = new WebhookConnector(LoopbackAllowed, (_, _) =>
        {
            // A rebinding resolver: the first answer is checked and used; a second lookup would answer something else.
            return Task.FromResult(Interlocked.Increment(ref resolutions) == 1 ? new[] { IPAddress.Loopback } : [IPAddress.Parse("10.0.0.1")]);
        });

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("hooks.test", Port(listener)), CancellationToken.None);
        using var accepted = await listener.AcceptTcpClientAsync();

        Assert.Equal(1, resolutions);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address.MapToIPv4());
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolve(params IPAddress[] addresses) =>
        (host, _) => Task.FromResult(host == "hooks.test" ? addresses : throw new InvalidOperationException($"unexpected lookup of {host}"));

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
