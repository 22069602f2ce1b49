namespace ProductEvents.Clients.Tests.Hosting;

/// <summary>One running host shared by the test classes of this collection; each test uses its own ids.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<RunningHost>
{
    public const string Name = "host";
}
