using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
