using ProductEvents.FrontDoor;
using ProductEvents.Hosting;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Deploy.Tests;

public sealed class DockerfileTests
{
    public static TheoryData<string, Role> Images => new()
    {
        { "silo.Dockerfile", Role.Silo },
        { "front-door.Dockerfile", Role.FrontDoor },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void ImageIsBuiltInStagesAndRunsAsAnUnprivilegedUser(string file, Role role)
    {
        var image = Dockerfile.Load(file);

        Assert.True(image.Stages >= 2, $"{file}: a build stage and a runtime stage");
        Assert.False(string.IsNullOrWhiteSpace(image.User), $"{file} sets no USER: it would run as root");
        Assert.DoesNotContain(image.User, new[] { "root", "0", "0:0" });
        Assert.Single(image.Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var project = image.PublishedProject;
        Assert.Equal(HostAssembly(role).Replace(".dll", ".csproj", StringComparison.Ordinal), Path.GetFileName(project));
        Assert.True(File.Exists(Path.Combine(Repository.Root, project)), $"{file} publishes {project}, which does not exist");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void EntryPointAndHealthCheckRunTheHostAndProbeAPathItServesOnItsHttpPort(string file, Role role)
    {
        var image = Dockerfile.Load(file);

        Assert.Equal(["dotnet", HostAssembly(role)], image.EntryPoint);
        Assert.Equal(4, image.HealthCheck.Count);
        Assert.Equal(["dotnet", HostAssembly(role), HealthProbeCommand.Name], image.HealthCheck.Take(3));
        var probe = new Uri(image.HealthCheck[3]);
        Assert.Equal(image.HttpPort, probe.Port);
        Assert.Contains(probe.AbsolutePath, ServedPaths.Of(role));
        Assert.Contains(image.HttpPort, image.Exposed);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void EnvironmentSetsOnlyKeysTheProcessReads(string file, Role role)
    {
        var image = Dockerfile.Load(file);

        Assert.NotEmpty(image.Environment);
        Assert.All(image.Environment.Keys, name => Assert.True(ConfigurationKeys.IsRead(role, name), $"{file}: {name} is no key the {role} reads"));
    }

    [Fact]
    public void SiloImageExposesTheOrleansPortsItConfigures()
    {
        var image = Dockerfile.Load("silo.Dockerfile");
        var defaults = new OrleansHostingOptions();

        Assert.Equal(defaults.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), image.Environment["Orleans__SiloPort"]);
        Assert.Equal(defaults.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture), image.Environment["Orleans__GatewayPort"]);
        Assert.Superset(new HashSet<int> { defaults.SiloPort, defaults.GatewayPort, image.HttpPort }, image.Exposed.ToHashSet());
    }

    public static string HostAssembly(Role role) =>
        (role == Role.Silo ? typeof(ProductEventsHost) : typeof(FrontDoorHost)).Assembly.GetName().Name + ".dll";
}
