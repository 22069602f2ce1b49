using System.Data.Common;
using System.Globalization;
using System.Net;
using YamlDotNet.RepresentationModel;

namespace ProductEvents.Deploy.Tests;

/// <summary>deploy/compose.yaml: PostgreSQL, three silos and one front door, checked against the images and the code.</summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = Assert.Single(Yaml.LoadDocuments(Path.Combine(Repository.Deploy, "compose.yaml")));

    private static IEnumerable<(string Name, YamlNode Service, Role Role)> Processes() =>
        Compose.Get("services").Entries()
            .Where(s => s.Value.Text("build", "dockerfile") is not null)
            .Select(s => (s.Key, s.Value, s.Value.Text("build", "dockerfile")!.EndsWith("silo.Dockerfile", StringComparison.Ordinal) ? Role.Silo : Role.FrontDoor));

    private static Dictionary<string, string> Environment(YamlNode service) =>
        service.Get("environment").Entries().ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value ?? "", StringComparer.Ordinal);

    [Fact]
    public void ComposeRunsPostgresThreeSilosAndOneFrontDoor()
    {
        Assert.StartsWith("postgres:15", Compose.Text("services", "postgres", "image"));
        Assert.Equal(3, Processes().Count(p => p.Role == Role.Silo));
        Assert.Single(Processes(), p => p.Role == Role.FrontDoor);
        Assert.All(Processes(), p =>
        {
            Assert.Equal("..", p.Service.Text("build", "context"));
            Assert.True(File.Exists(Path.Combine(Repository.Deploy, "..", p.Service.Text("build", "dockerfile")!)), $"{p.Name}: no such Dockerfile");
        });
    }

    [Fact]
    public void EveryEnvironmentVariableIsAKeyItsProcessReads()
    {
        Assert.All(Processes(), p => Assert.All(Environment(p.Service).Keys,
            name => Assert.True(ConfigurationKeys.IsRead(p.Role, name), $"{p.Name}: {name} is no key the {p.Role} reads")));
    }

    [Fact]
    public void EveryProcessJoinsTheSameClusterOnThePostgresService()
    {
        var postgres = Environment(Compose.At("services", "postgres")!);
        var ids = Processes().Select(p => Environment(p.Service))
            .Select(e => (e.GetValueOrDefault("Orleans__ServiceId"), e.GetValueOrDefault("Orleans__ClusterId"))).Distinct().ToList();
        Assert.Equal([("product-events", "product-events")], ids);

        Assert.All(Processes(), p =>
        {
            var connection = new DbConnectionStringBuilder { ConnectionString = Environment(p.Service)["ConnectionStrings__Postgres"] };
            Assert.Equal("postgres", connection["Host"]);
            Assert.Equal(postgres["POSTGRES_DB"], connection["Database"]);
            Assert.Equal(postgres["POSTGRES_USER"], connection["Username"]);
            Assert.Equal(postgres["POSTGRES_PASSWORD"], connection["Password"]);
        });
    }

    [Fact]
    public void SilosAdvertiseTheirOwnFixedAddressOnTheClusterNetwork()
    {
        var subnet = Assert.Single(Compose.At("networks", "cluster", "ipam", "config").Items()).Text("subnet")!;
        var network = IPNetwork.Parse(subnet);
        var advertised = new List<IPAddress>();
        foreach (var (name, service, _) in Processes().Where(p => p.Role == Role.Silo))
        {
            var address = IPAddress.Parse(Environment(service)["Orleans__AdvertisedIPAddress"]);
            Assert.Equal(service.Text("networks", "cluster", "ipv4_address"), address.ToString());
            Assert.True(network.Contains(address), $"{name}: {address} is outside {subnet}");
            advertised.Add(address);
        }

        Assert.Equal(advertised.Count, advertised.Distinct().Count());
    }

    [Fact]
    public void PortsAreTheOnesTheImagesExposeAndTheSilosAreConfiguredWith()
    {
        var silo = Dockerfile.Load("silo.Dockerfile");
        var frontDoor = Dockerfile.Load("front-door.Dockerfile");
        foreach (var (name, service, _) in Processes().Where(p => p.Role == Role.Silo))
        {
            var environment = Environment(service);
            Assert.Contains(int.Parse(environment["Orleans__SiloPort"], CultureInfo.InvariantCulture), silo.Exposed);
            Assert.Contains(int.Parse(environment["Orleans__GatewayPort"], CultureInfo.InvariantCulture), silo.Exposed);
            Assert.Empty(service.Get("ports").Items());
        }

        var published = Assert.Single(Processes().Single(p => p.Role == Role.FrontDoor).Service.Get("ports").Items());
        Assert.Equal(frontDoor.HttpPort.ToString(CultureInfo.InvariantCulture), ((YamlScalarNode)published).Value!.Split(':')[^1]);
    }

    [Fact]
    public void StopGracePeriodOutlastsTheHostsShutdownTimeout()
    {
        Assert.All(Processes(), p =>
        {
            var grace = p.Service.Text("stop_grace_period")!;
            Assert.EndsWith("s", grace);
            var timeout = int.Parse(Environment(p.Service)["shutdownTimeoutSeconds"], CultureInfo.InvariantCulture);
            Assert.True(int.Parse(grace[..^1], CultureInfo.InvariantCulture) > timeout, $"{p.Name}: {grace} is not more than {timeout} s");
        });
    }

    [Fact]
    public void ProcessesStartAfterWhatTheyNeedIsHealthy()
    {
        Assert.NotNull(Compose.At("services", "postgres", "healthcheck", "test"));
        Assert.All(Processes().Where(p => p.Role == Role.Silo),
            p => Assert.Equal("service_healthy", p.Service.Text("depends_on", "postgres", "condition")));
        var frontDoor = Processes().Single(p => p.Role == Role.FrontDoor).Service;
        var (silo, condition) = Assert.Single(frontDoor.Get("depends_on").Entries());
        Assert.Contains(silo, Processes().Where(p => p.Role == Role.Silo).Select(p => p.Name));
        Assert.Equal("service_healthy", condition.Text("condition"));
        Assert.NotEmpty(Dockerfile.Load("silo.Dockerfile").HealthCheck);
    }
}
