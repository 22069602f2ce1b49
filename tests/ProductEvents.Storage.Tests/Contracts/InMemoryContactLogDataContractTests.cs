using Microsoft.Extensions.Options;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.Contracts;

[Trait("Category", "Unit")]
public sealed class InMemoryContactLogDataContractTests : ContactLogDataContract
{
    protected override Task<(IEventLog Log, IContactLogData Data, IEventLogRetention Retention)> CreateAsync()
    {
        var log = new InMemoryEventLog(Options.Create(new EventLogOptions()));
        return Task.FromResult<(IEventLog, IContactLogData, IEventLogRetention)>((log, log, log));
    }
}
