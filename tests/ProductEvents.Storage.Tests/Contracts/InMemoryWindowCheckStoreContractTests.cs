using ProductEvents.Storage.Segments;

namespace ProductEvents.Storage.Tests.Contracts;

[Trait("Category", "Unit")]
public sealed class InMemoryWindowCheckStoreContractTests : WindowCheckStoreContract
{
    protected override Task<IWindowCheckStore> CreateStoreAsync() => Task.FromResult<IWindowCheckStore>(new InMemoryWindowCheckStore());
}
