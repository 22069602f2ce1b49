using CsCheck;
using ProductEvents.Fuzz.Tests.Generators;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>
/// A run's cases come from one master seed per endpoint, so the same seed gives the same cases; each case also gets a
/// CsCheck seed of its own, which regenerates it alone (and starts CsCheck's shrinking from it).
/// </summary>
public static class FuzzCaseSeeds
{
    public static PCG Master(ulong seed, FuzzEndpoint endpoint) => new((uint)endpoint + 1, seed);

    public static (FuzzRequest Request, string CaseSeed) Next(PCG master, Gen<FuzzRequest> generator)
    {
        var pcg = new PCG(master.Next(), master.Next64());
        var caseSeed = pcg.ToString();
        return (generator.Generate(pcg, null!, out _), caseSeed);
    }
}
