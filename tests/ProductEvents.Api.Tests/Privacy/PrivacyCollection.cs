namespace ProductEvents.Api.Tests.Privacy;

/// <summary>The erasure and export tests share one durable host on a fake clock.</summary>
[CollectionDefinition(Name)]
public sealed class PrivacyCollection : ICollectionFixture<PrivacyHost>
{
    public const string Name = "privacy host on PostgreSQL";
}
