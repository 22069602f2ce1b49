using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>The system tests share one PostgreSQL and run one at a time: one of them stops that server.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class SystemCollection : ICollectionFixture<PostgresFixture>;
