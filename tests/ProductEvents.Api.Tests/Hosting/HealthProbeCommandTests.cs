using ProductEvents.Hosting;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary><c>probe &lt;url&gt;</c>, the container images' health check: 0 for a 200, 1 for anything else, 2 for a bad call.</summary>
public sealed class HealthProbeCommandTests
{
    [Fact]
    public async Task ProbeExitsZeroOnlyWhenTheEndpointAnswersSuccess()
    {
        await using var host = await new TestHostBuilder().StartAsync();
        var error = new StringWriter();

        Assert.Equal(0, await HealthProbeCommand.RunAsync([new Uri(host.Address, "health/live").ToString()], error));
        Assert.Equal(0, await HealthProbeCommand.RunAsync([new Uri(host.Address, "health/ready").ToString()], error));
        Assert.Equal(1, await HealthProbeCommand.RunAsync([new Uri(host.Address, "health/nothing-here").ToString()], error));
        Assert.Contains("answered 404", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await HealthProbeCommand.RunAsync([$"http://127.0.0.1:{FreePorts.Next()}/health/live"], error));
        Assert.Contains("did not answer", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData()]
    [InlineData("health/live")]
    [InlineData("ftp://127.0.0.1/health/live")]
    [InlineData("http://127.0.0.1/health/live", "extra")]
    public async Task ProbeRefusesAnythingButOneHttpAddress(params string[] args)
    {
        var error = new StringWriter();

        Assert.Equal(2, await HealthProbeCommand.RunAsync(args, error));
        Assert.Contains("Usage: probe", error.ToString(), StringComparison.Ordinal);
    }
}
