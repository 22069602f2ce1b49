namespace ProductEvents.Api.Tests.Support;

/// <summary>The tests that ingest and read, again on one shared host in durable mode.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresHostCollection : ICollectionFixture<PostgresHostFixture>
{
    public const string Name = "host on PostgreSQL";
}
