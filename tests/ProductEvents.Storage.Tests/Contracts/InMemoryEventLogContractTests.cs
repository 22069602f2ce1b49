using Microsoft.Extensions.Options;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.Contracts;

[Trait("Category", "Unit")]
public sealed class InMemoryEventLogContractTests : EventLogContract
{
    private InMemoryEventLog? _log;

    protected override Task<IEventLog> CreateLogAsync()
    {
        _log = new InMemoryEventLog(Options.Create(new EventLogOptions()));
        return Task.FromResult<IEventLog>(_log);
    }

    /// <summary>Nothing of it outlives the instance: the instance is all there is to open again.</summary>
    protected override Task<IEventLog> OpenAgainAsync() => Task.FromResult<IEventLog>(_log!);
}
