using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Products;
using ProductEvents.Grains.Segments;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// Segment membership, evaluated where the data is whenever the contact changes. Only membership changes leave the
/// grain, on the segments' streams. A time window that will expire sets a timer (precise, while active) and a
/// durable window check (<see cref="IWindowCheckStore"/>, for when the contact is not active at that instant).
/// </summary>
public sealed partial class ContactGrain
{
    private ITimer? _windowTimer;
    private DateTimeOffset? _windowCheckWanted;
    private Task? _windowCheckSync;

    public async Task<IReadOnlyList<ContactSegment>> GetSegmentsAsync()
    {
        await EnsureLoadedAsync();

        // A deleted segment leaves the state at the contact's next evaluation; until then the definitions say it is gone.
        var defined = (await segments.GetAsync(Key.AppId)).Segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return [.. State.Segments.Where(s => defined.Contains(s.Key)).Select(s => new ContactSegment(s.Key, s.Value)).OrderBy(s => s.Since)];
    }

    public async Task ReevaluateAsync(bool reassert)
    {
        await EnsureLoadedAsync();
        await EvaluateSegmentsAsync(reassert);
        await CheckAutomationTriggersAsync(TakeArriving());
    }

    public async Task EvaluateForBuildAsync(string segmentId, int version)
    {
        await EnsureLoadedAsync();
        await EvaluateSegmentsAsync(reassert: false, new BuildRequest(segmentId, version));
        await CheckAutomationTriggersAsync(TakeArriving());
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _windowTimer?.Dispose();
        if (_windowCheckSync is { } sync)
        {
            await sync;
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    protected override async Task OnAppliedAsync()
    {
        await EvaluateSegmentsAsync(reassert: false);
        await CheckAutomationTriggersAsync(TakeArriving());
    }

    /// <param name="build">The build this evaluation answers, on its segment's stream, after the changes.</param>
    private async Task EvaluateSegmentsAsync(bool reassert, BuildRequest? build = null)
    {
        var (appId, contact) = Key;
        var app = await segments.GetAsync(appId);
        if (build is null && app.Segments.Count == 0 && State.Segments.Count == 0 && State.WindowCheckAt is null)
        {
            return;
        }

        var products = await FetchProductsAsync(appId, ContactMemberships.ProductsNeeded(app.Segments, State));
        var stored = reassert ? await ServiceProvider.GetRequiredService<ISegmentMembershipStore>().SegmentsOfAsync(appId, contact) : null;
        var now = clock.GetUtcNow();
        var (changes, nextCheckAt) = ContactMemberships.Evaluate(contact, State, app.Segments, products, now, stored);
        if (changes.Count > 0)
        {
            MarkChanged();
        }

        if (build is { } answering)
        {
            ContactMemberships.AnswerBuild(changes, contact, answering.SegmentId, answering.Version, now);
        }

        if (changes.Count > 0)
        {
            var streams = ServiceProvider.GetRequiredService<MembershipStreams>();
            foreach (var (segmentId, change) in changes)
            {
                await streams.Of(GrainKeys.Segment(appId, segmentId)).OnNextAsync(change);
            }
        }

        ScheduleCheck(nextCheckAt);
    }

    private async Task<IReadOnlyDictionary<string, ProductSnapshot>> FetchProductsAsync(string appId, HashSet<string> productIds)
    {
        if (productIds.Count == 0)
        {
            return new Dictionary<string, ProductSnapshot>();
        }

        // Products active in this silo publish their snapshot; only the others cost a grain call.
        var cache = ServiceProvider.GetRequiredService<ProductSnapshotCache>();
        var products = new Dictionary<string, ProductSnapshot>(StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var id in productIds)
        {
            if (cache.TryGet(GrainKeys.Product(appId, id), out var cached))
            {
                products[id] = cached;
            }
            else
            {
                (missing ??= []).Add(id);
            }
        }

        if (missing is null)
        {
            return products;
        }

        foreach (var snapshot in await Task.WhenAll(missing.Select(id => GrainFactory.GetKeyedGrain<IProductGrain>(GrainKeys.Product(appId, id)).GetAsync())))
        {
            if (snapshot is not null)
            {
                products[snapshot.ProductId] = snapshot;
            }
        }

        return products;
    }

    /// <summary>
    /// A timer for the exact instant while the grain is active, and the durable window check as the safety net. The
    /// check is written only when the next check comes earlier than the one stored or that one has passed
    /// (<see cref="WindowCheckBehind"/>), which keeps writes rare.
    /// </summary>
    private void ScheduleCheck(DateTimeOffset? nextCheckAt)
    {
        _windowCheckWanted = nextCheckAt;
        if (nextCheckAt is { } due)
        {
            // One timer per activation, moved at each evaluation rather than replaced.
            if (_windowTimer is null)
            {
                var self = GrainFactory.GetKeyedGrain<IContactGrain>(this.GetPrimaryKeyString());
                _windowTimer = clock.CreateTimer(_ => ReevaluateLater(self), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            _windowTimer.Change(WindowTimerDelay.For(due, clock.GetUtcNow()), Timeout.InfiniteTimeSpan);
        }
        else
        {
            _windowTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (_windowCheckSync is null && WindowCheckBehind())
        {
            var sync = SyncWindowCheckAsync();
            _windowCheckSync = sync.IsCompleted ? null : sync;
        }
    }

    /// <summary>
    /// Brings the stored window check in line with the one wanted, in the background: the write takes no turn of this
    /// grain, so events keep being applied meanwhile (until it lands, the timer covers the window). One write at a time
    /// per contact; contacts writing at the same moment share one statement. A change made while a write runs is written
    /// right after it. <see cref="ContactState.WindowCheckAt"/> follows only written checks, so a snapshot never claims
    /// a check the store may not have.
    /// </summary>
    private async Task SyncWindowCheckAsync()
    {
        try
        {
            var store = ServiceProvider.GetRequiredService<IWindowCheckStore>();
            var (appId, contact) = Key;
            while (WindowCheckBehind())
            {
                var due = _windowCheckWanted;
                await store.WriteAsync(appId, contact, due);
                State.WindowCheckAt = due;
                MarkChanged();
            }
        }
        catch (Exception ex)
        {
            // The timer still covers the window while the grain is active; the contact's next evaluation writes again.
            logger.LogWarning(ex, "The window check of contact {Contact} was not written", this.GetPrimaryKeyString());
        }
        finally
        {
            _windowCheckSync = null;
        }
    }

    /// <summary>
    /// Whether the stored check must change. A stored check earlier than the one wanted stays: it comes first, finds
    /// nothing to do, and the later one is written then. So a window that every new event pushes further out (a
    /// contact viewing product after product) costs no write per event.
    /// </summary>
    private bool WindowCheckBehind() => (_windowCheckWanted, State.WindowCheckAt) switch
    {
        (null, null) => false,
        ({ } wanted, { } stored) => wanted < stored || stored <= clock.GetUtcNow(),
        _ => true,
    };

    /// <summary>The timer's callback runs outside the grain: it calls the grain through a reference, like any client.</summary>
    private void ReevaluateLater(IContactGrain self) =>
        self.ReevaluateAsync(false).ContinueWith(
            t => logger.LogWarning(t.Exception, "Window re-evaluation of a contact failed; its window check will retry"),
            TaskContinuationOptions.OnlyOnFaulted);
}
