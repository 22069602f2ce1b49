namespace ProductEvents.Storage.Tests;

[CollectionDefinition(OrleansSiloFixture.Collection)]
public sealed class OrleansSiloCollection : ICollectionFixture<OrleansSiloFixture>;
