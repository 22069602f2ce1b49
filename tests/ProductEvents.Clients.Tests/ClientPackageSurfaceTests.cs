using System.Reflection;
using ProductEvents.Abstractions;
using ProductEvents.Client;

namespace ProductEvents.Clients.Tests;

/// <summary>
/// What a service that takes the ProductEvents.Client package (it and ProductEvents.Abstractions) can call on products
/// and contacts: reads, and the merge the identify endpoint asks for. Applying entries and re-evaluating segments are
/// the silo's own calls, on interfaces the package does not ship.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ClientPackageSurfaceTests
{
    private static readonly string[] SiloOnlyMethods = ["ApplyAsync", "ReevaluateAsync", "EvaluateForBuildAsync"];

    private static IEnumerable<Assembly> Package => [typeof(ProductEventsReader).Assembly, typeof(IContactGrain).Assembly];

    [Fact]
    public void ProductAndContactGrainsOfferReadsAndTheMergeOnly()
    {
        Assert.Equal(["GetAsync"], Methods(typeof(IProductGrain)));
        Assert.Equal(["GetAsync", "GetSegmentsAsync", "MergeVisitorsAsync"], Methods(typeof(IContactGrain)));
    }

    [Fact]
    public void NoGrainInterfaceOfThePackageAppliesEntriesOrReevaluatesContacts()
    {
        var grainInterfaces = Package.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsInterface && typeof(Orleans.IGrain).IsAssignableFrom(t)).ToList();

        Assert.Contains(typeof(IContactGrain), grainInterfaces);
        Assert.All(grainInterfaces, type => Assert.Empty(Methods(type).Intersect(SiloOnlyMethods)));
    }

    private static string[] Methods(Type grainInterface) =>
        [.. grainInterface.GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal)];
}
