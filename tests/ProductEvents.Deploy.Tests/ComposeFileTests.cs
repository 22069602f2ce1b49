using System.Data.Common;
using System.Globalization;
using System.Net;

namespace ProductEvents.Deploy.Tests;

/// <summary>deploy/compose.yaml: PostgreSQL, three silos and one front door, checked against the images and the code.</summary>
public sealed class ComposeFileTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    private static IEnumerable<(string Name, ComposeService Service, Role Role)> Processes() =>
        Compose.Services
            .Where(s => s.Dockerfile is not null)
            .Select(s => (s.Name, s, s.Dockerfile!.EndsWith("silo.Dockerfile", StringComparison.Ordinal) ? Role.Silo : Role.FrontDoor));

    [Fact]
    public void ComposeRunsPostgresThreeSilosAndOneFrontDoor()
    {
        Assert.StartsWith("postgres:15", Compose["postgres"].Node.Text("image"));
        Assert.Equal(3, Processes().Count(p => p.Role == Role.Silo));
        Assert.Single(Processes(), p => p.Role == Role.FrontDoor);
        Assert.All(Processes(), p =>
        {
            Assert.Equal("..", p.Service.Node.Text("build", "context"));
            Assert.True(File.Exists(Path.Combine(Repository.Deploy, "..", p.Service.Dockerfile!)), $"{p.Name}: no such Dockerfile");
        });
    }

    [Fact]
    public void EveryEnvironmentVariableIsAKeyItsProcessReads()
    {
        Assert.All(Processes(), p => Assert.All(p.Service.Environment.Keys,
            name => Assert.True(ConfigurationKeys.IsRead(p.Role, name), $"{p.Name}: {name} is no key the {p.Role} reads")));
    }

    [Fact]
    public void EveryProcessJoinsTheSameClusterOnThePostgresService()
    {
        var postgres = Compose["postgres"].Environment;
        var ids = Processes().Select(p => p.Service.Environment)
            .Select(e => (e.GetValueOrDefault("Orleans__ServiceId"), e.GetValueOrDefault("Orleans__ClusterId"))).Distinct().ToList();
        Assert.Equal([("product-events", "product-events")], ids);

        Assert.All(Processes(), p =>
        {
            var connection = new DbConnectionStringBuilder { ConnectionString = p.Service.Environment["ConnectionStrings__Postgres"] };
            Assert.Equal("postgres", connection["Host"]);
            Assert.Equal(postgres["POSTGRES_DB"], connection["Database"]);
            Assert.Equal(postgres["POSTGRES_USER"], connection["Username"]);
            Assert.Equal(postgres["POSTGRES_PASSWORD"], connection["Password"]);
        });
    }

    [Fact]
    public void SilosAdvertiseTheirOwnFixedAddressOnTheClusterNetwork()
    {
        var subnet = Assert.Single(Compose.Root.At("networks", "cluster", "ipam", "config").Items()).Text("subnet")!;
        var network = IPNetwork.Parse(subnet);
        var advertised = new List<IPAddress>();
        foreach (var (name, service, _) in Processes().Where(p => p.Role == Role.Silo))
        {
            var address = IPAddress.Parse(service.Environment["Orleans__AdvertisedIPAddress"]);
            Assert.Equal(service.Address("cluster"), address.ToString());
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
            var environment = service.Environment;
            Assert.Contains(int.Parse(environment["Orleans__SiloPort"], CultureInfo.InvariantCulture), silo.Exposed);
            Assert.Contains(int.Parse(environment["Orleans__GatewayPort"], CultureInfo.InvariantCulture), silo.Exposed);
            Assert.Empty(service.Ports);
        }

        var published = Assert.Single(Processes().Single(p => p.Role == Role.FrontDoor).Service.Ports);
        Assert.Equal(frontDoor.HttpPort.ToString(CultureInfo.InvariantCulture), published.Split(':')[^1]);
    }

    [Fact]
    public void StopGracePeriodOutlastsTheHostsShutdownTimeout()
    {
        Assert.All(Processes(), p =>
        {
            var grace = p.Service.Node.Text("stop_grace_period")!;
            Assert.EndsWith("s", grace);
            var timeout = int.Parse(p.Service.Environment["shutdownTimeoutSeconds"], CultureInfo.InvariantCulture);
            Assert.True(int.Parse(grace[..^1], CultureInfo.InvariantCulture) > timeout, $"{p.Name}: {grace} is not more than {timeout} s");
        });
    }

    [Fact]
    public void ProcessesStartAfterWhatTheyNeedIsHealthy()
    {
        Assert.NotNull(Compose["postgres"].Node.At("healthcheck", "test"));
        Assert.All(Processes().Where(p => p.Role == Role.Silo),
            p => Assert.Equal([("postgres", "service_healthy")], p.Service.DependsOn));
        var frontDoor = Processes().Single(p => p.Role == Role.FrontDoor).Service;
        var (silo, condition) = Assert.Single(frontDoor.DependsOn);
        Assert.Contains(silo, Processes().Where(p => p.Role == Role.Silo).Select(p => p.Name));
        Assert.Equal("service_healthy", condition);
        Assert.NotEmpty(Dockerfile.Load("silo.Dockerfile").HealthCheck);
    }
}
