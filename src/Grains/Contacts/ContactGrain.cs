using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Contacts;

public sealed class ContactGrain(
    [PersistentState("contact", StorageNames.Snapshots)] IPersistentState<ContactState> state,
    IEventLogReader log,
    IOptions<ProjectionOptions> options,
    ILogger<ContactGrain> logger)
    : ProjectionGrain<ContactState>(state, options, logger), IContactGrain
{
    private (string AppId, ContactRef Contact) Key => GrainKeys.ParseContact(this.GetPrimaryKeyString());

    public Task<ContactSnapshot?> GetAsync() => Task.FromResult(ContactProjection.ToSnapshot(Key.Contact, State));

    protected override IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        log.ReadContactAsync(Key.AppId, Key.Contact, afterSeq, cancellationToken);

    protected override void Apply(ProductEventRecord entry) =>
        ContactProjection.Apply(State, entry, Options.MaxInteractionsPerContact);
}
