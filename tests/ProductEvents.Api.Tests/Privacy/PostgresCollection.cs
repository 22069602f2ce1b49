namespace ProductEvents.Api.Tests.Privacy;

/// <summary>Tests that start and stop hosts on databases of their own, on one throwaway PostgreSQL.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
