using ProductEvents.Storage.Automations;

namespace ProductEvents.Storage.Tests.Contracts;

[Trait("Category", "Unit")]
public sealed class InMemoryAutomationRunStoreContractTests : AutomationRunStoreContract
{
    protected override Task<IAutomationRunStore> CreateStoreAsync() => Task.FromResult<IAutomationRunStore>(new InMemoryAutomationRunStore());
}
