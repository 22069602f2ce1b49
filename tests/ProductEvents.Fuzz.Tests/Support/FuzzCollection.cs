namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>One host and one PostgreSQL for every fuzz test; the tests run one at a time (they count what is stored).</summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzHostFixture>
{
    public const string Name = "Fuzz";
}
