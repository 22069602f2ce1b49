using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Products;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// Segment membership, evaluated where the data is whenever the contact changes. Only membership changes leave the
/// grain, on the segments' streams. A time window that will expire sets a timer (precise, while active) and a
/// durable reminder (survives restarts and deactivation).
/// </summary>
public sealed partial class ContactGrain
{
    private const string WindowReminder = "segment-windows";

    private ITimer? _windowTimer;
    private Task? _reminderSync;
    private bool _reminderDirty;

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

    public Task ReceiveReminder(string reminderName, TickStatus status) => ReevaluateAsync(reassert: false);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _windowTimer?.Dispose();
        if (_reminderSync is { } sync)
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

    private async Task EvaluateSegmentsAsync(bool reassert)
    {
        var (appId, contact) = Key;
        var app = await segments.GetAsync(appId);
        if (app.Segments.Count == 0 && State.Segments.Count == 0 && State.ReminderAt is null)
        {
            return;
        }

        var products = await FetchProductsAsync(appId, ContactMemberships.ProductsNeeded(app.Segments, State));
        var (changes, nextCheckAt) = ContactMemberships.Evaluate(contact, State, app.Segments, products, clock.GetUtcNow(), reassert);
        if (changes.Count > 0)
        {
            MarkChanged();
            var provider = this.GetStreamProvider(StreamNames.Provider);
            foreach (var (segmentId, change) in changes)
            {
                await provider.GetStream<MembershipChange>(StreamId.Create(StreamNames.SegmentMembership, GrainKeys.Segment(appId, segmentId)))
                    .OnNextAsync(change);
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
    /// A timer for the exact instant while the grain is active, and a durable reminder as the safety net. The reminder
    /// is moved only when the next check comes earlier, or when the registered one is past: a later check lets the
    /// current reminder fire first and re-arm then, which keeps reminder writes rare.
    /// </summary>
    private void ScheduleCheck(DateTimeOffset? nextCheckAt)
    {
        _windowTimer?.Dispose();
        _windowTimer = null;
        if (nextCheckAt is not { } due)
        {
            if (State.ReminderAt is not null)
            {
                State.ReminderAt = null;
                MarkChanged();
                SyncReminder();
            }

            return;
        }

        var now = clock.GetUtcNow();
        var delay = due - now;
        var self = GrainFactory.GetKeyedGrain<IContactGrain>(this.GetPrimaryKeyString());
        _windowTimer = clock.CreateTimer(_ => ReevaluateLater(self), null, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        if (State.ReminderAt is not { } registered || due < registered || registered <= now)
        {
            State.ReminderAt = due;
            MarkChanged();
            SyncReminder();
        }
    }

    /// <summary>
    /// Brings the durable reminder in line with <see cref="ContactState.ReminderAt"/> in the background: the storage
    /// write takes no turn of this grain, so events keep being applied meanwhile (until it lands, the timer covers the
    /// window). One write at a time per contact and a bounded number per silo (<see cref="ReminderWriteGate"/>); a change
    /// made while a write waits or runs is written by it or right after it.
    /// </summary>
    private void SyncReminder()
    {
        _reminderDirty = true;
        if (_reminderSync is null)
        {
            var sync = SyncReminderAsync();
            _reminderSync = sync.IsCompleted ? null : sync;
        }
    }

    private async Task SyncReminderAsync()
    {
        try
        {
            var gate = ServiceProvider.GetRequiredService<ReminderWriteGate>();
            while (_reminderDirty)
            {
                await gate.WaitAsync();
                try
                {
                    // Read after waiting for the slot: changes made meanwhile are written by this same write.
                    _reminderDirty = false;
                    if (State.ReminderAt is { } due)
                    {
                        var delay = due - clock.GetUtcNow();
                        await this.RegisterOrUpdateReminder(WindowReminder, delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
                    }
                    else if (await this.GetReminder(WindowReminder) is { } reminder)
                    {
                        await this.UnregisterReminder(reminder);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        catch (Exception ex)
        {
            // The timer still covers the window while the grain is active; the next evaluation that moves it retries.
            logger.LogWarning(ex, "The window reminder of contact {Contact} was not written", this.GetPrimaryKeyString());
        }
        finally
        {
            _reminderSync = null;
        }
    }

    private void ReevaluateLater(IContactGrain self) =>
        self.ReevaluateAsync(false).ContinueWith(
            t => logger.LogWarning(t.Exception, "Window re-evaluation of a contact failed; its reminder will retry"),
            TaskContinuationOptions.OnlyOnFaulted);
}
