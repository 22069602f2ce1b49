using ProductEvents.Storage.Segments;

namespace ProductEvents.Storage.Tests.Contracts;

[Trait("Category", "Unit")]
public sealed class InMemorySegmentMembershipStoreContractTests : SegmentMembershipStoreContract
{
    protected override Task<ISegmentMembershipStore> CreateStoreAsync() => Task.FromResult<ISegmentMembershipStore>(new InMemorySegmentMembershipStore());
}
