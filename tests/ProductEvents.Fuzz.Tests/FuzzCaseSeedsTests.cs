using CsCheck;
using ProductEvents.Fuzz.Tests.Generators;
using ProductEvents.Fuzz.Tests.Support;

namespace ProductEvents.Fuzz.Tests;

[Trait("Category", "Unit")]
[Trait("Category", "Fuzz")]
public sealed class FuzzCaseSeedsTests
{
    [Fact]
    public void TheSameSeedGivesTheSameCases()
    {
        var first = FuzzCaseSeeds.Master(42, FuzzEndpoint.SingleEvent);
        var second = FuzzCaseSeeds.Master(42, FuzzEndpoint.SingleEvent);
        var generator = FuzzRequests.For(FuzzEndpoint.SingleEvent);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(FuzzCaseSeeds.Next(first, generator).Request.ToString(), FuzzCaseSeeds.Next(second, generator).Request.ToString());
        }
    }

    [Fact]
    public void ACaseSeedRegeneratesItsCase()
    {
        var generator = FuzzRequests.For(FuzzEndpoint.BatchEvents);
        var (request, caseSeed) = FuzzCaseSeeds.Next(FuzzCaseSeeds.Master(7, FuzzEndpoint.BatchEvents), generator);
        Assert.Equal(request.ToString(), generator.Generate(PCG.Parse(caseSeed), null!, out _).ToString());
    }
}
