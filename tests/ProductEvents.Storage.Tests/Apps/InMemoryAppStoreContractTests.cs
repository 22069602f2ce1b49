using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Storage.Tests.Apps;

[Trait("Category", "Unit")]
public sealed class InMemoryAppStoreContractTests : AppStoreContract
{
    protected override Task<(IAppStore Store, IAuditLog Audit)> CreateStoresAsync(TimeProvider clock)
    {
        var audit = new InMemoryAuditLog(clock);
        return Task.FromResult<(IAppStore, IAuditLog)>((new InMemoryAppStore(audit, clock), audit));
    }
}
