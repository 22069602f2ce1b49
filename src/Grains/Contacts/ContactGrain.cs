using System.Runtime.CompilerServices;
using ProductEvents.Grains.Analytics;
using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// A contact's interaction summary. A known contact (user id) also includes the anonymous visitors merged into it
/// (identify, or an event with both ids): the log's alias record says which, and catching up from the log folds them
/// in by log position, so a replay after a restart reaches the same summary. Its segment memberships are evaluated
/// here, where the data is (ContactGrain.Segments.cs).
/// </summary>
public sealed partial class ContactGrain(ContactServices services, ILogger<ContactGrain> logger)
    : ProjectionGrain<ContactState>("contact", services.Options, logger), IContactGrain, IContactProjectionGrain
{
    /// <summary>Keys seen on this contact's events that another contact claimed first (a claim never changes).</summary>
    private HashSet<string>? _foreignKeys;

    private (string AppId, ContactRef Contact) Key => GrainKeys.ParseContact(this.GetPrimaryKeyString());

    public async Task<ContactSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        return ContactProjection.ToSnapshot(Key.Contact, State);
    }

    public async Task MergeVisitorsAsync()
    {
        await EnsureLoadedAsync();
        if (!Key.Contact.IsAnonymous && await CatchUpOrDeactivateAsync() > 0)
        {
            await EvaluateSegmentsAsync(reassert: false);
        }

        if (!Key.Contact.IsAnonymous && State.MergedKeys.Count > 0)
        {
            // The analytics index counts the visitors' entries it already holds as this contact's too.
            var (appId, contact) = Key;
            await GrainFactory.GetGrain<IAnalyticsProjectionGrain>(appId).MergeVisitorsAsync(contact.Value, [.. State.MergedKeys]);
        }
    }

    protected override async Task BeforeApplyAsync(ProductEventRecord[] events)
    {
        if (!Key.Contact.IsAnonymous && events.Any(e => e.Seq > State.AppliedSeq && IsUnmerged(e)))
        {
            // A visitor key not merged yet, that may have just been merged into this contact: catching up from the
            // log merges it in log order, and the entries delivered here are then skipped as already applied.
            await CatchUpOrDeactivateAsync();
            foreach (var e in events.Where(e => e.UserId is not null && IsUnmerged(e)))
            {
                (_foreignKeys ??= new(StringComparer.Ordinal)).Add(e.UserKey!);
            }
        }
    }

    protected override async IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(
        long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (appId, contact) = Key;
        if (contact.IsAnonymous)
        {
            await foreach (var entry in services.Log.ReadContactAsync(appId, contact, afterSeq, cancellationToken))
            {
                yield return entry;
            }

            yield break;
        }

        await MergeNewVisitorsAsync(appId, contact.Value, cancellationToken);

        // The merged visitors' later entries (few) are interleaved by log position with the contact's own (streamed).
        var visitors = new List<ProductEventRecord>();
        foreach (var key in State.MergedKeys)
        {
            await foreach (var entry in services.Log.ReadContactAsync(appId, ContactRef.Visitor(key), afterSeq, cancellationToken))
            {
                visitors.Add(entry);
            }
        }

        visitors.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var next = 0;
        await foreach (var own in services.Log.ReadContactAsync(appId, contact, afterSeq, cancellationToken))
        {
            while (next < visitors.Count && visitors[next].Seq < own.Seq)
            {
                yield return visitors[next++];
            }

            yield return own;
        }

        while (next < visitors.Count)
        {
            yield return visitors[next++];
        }
    }

    protected override void Apply(ProductEventRecord entry)
    {
        ContactProjection.Apply(State, entry, Options.MaxInteractionsPerContact);
        NoteForTriggers(entry);
    }

    private bool IsUnmerged(ProductEventRecord e) =>
        e.UserKey is { } key && !State.MergedKeys.Contains(key) && (e.UserId is null || _foreignKeys?.Contains(key) != true);

    private async Task MergeNewVisitorsAsync(string appId, string userId, CancellationToken cancellationToken)
    {
        foreach (var key in await services.Log.ReadAliasedKeysAsync(appId, userId, cancellationToken))
        {
            if (State.MergedKeys.Contains(key))
            {
                continue;
            }

            if (State.MergedKeys.Count >= ContactMerge.MaxMergedKeys)
            {
                logger.LogWarning("Contact {Contact} has merged {Max} visitors; visitor {Key} stays separate", userId, ContactMerge.MaxMergedKeys, key);
                break;
            }

            var earlier = new List<ProductEventRecord>();
            await foreach (var entry in services.Log.ReadContactAsync(appId, ContactRef.Visitor(key), 0, cancellationToken))
            {
                if (entry.Seq > State.AppliedSeq)
                {
                    break;
                }

                earlier.Add(entry);
            }

            ContactMerge.FoldEarlier(State, key, earlier, Options.MaxInteractionsPerContact);
            _foreignKeys?.Remove(key);
            MarkChanged();
        }
    }

    private async Task<int> CatchUpOrDeactivateAsync()
    {
        try
        {
            return await CatchUpAsync(CancellationToken.None);
        }
        catch
        {
            // The summary is still whole up to its position; a fresh activation replays the rest from the log.
            DeactivateOnIdle();
            throw;
        }
    }
}
