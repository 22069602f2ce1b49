using ProductEvents.Storage.Audit;

namespace ProductEvents.Storage.Tests.Apps;

[Trait("Category", "Unit")]
public sealed class InMemoryAuditLogContractTests : AuditLogContract
{
    protected override Task<IAuditLog> CreateLogAsync(TimeProvider clock) => Task.FromResult<IAuditLog>(new InMemoryAuditLog(clock));
}
