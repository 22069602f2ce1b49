using ProductEvents.Storage.Automations;

namespace ProductEvents.Storage.Tests.Contracts;

[Trait("Category", "Unit")]
public sealed class InMemoryDeliveryOutboxContractTests : DeliveryOutboxContract
{
    protected override Task<IDeliveryOutbox> CreateOutboxAsync() => Task.FromResult<IDeliveryOutbox>(new InMemoryDeliveryOutbox(new DeliverySignal()));
}
