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
    private IGrainTimer? _reminderWrite;

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

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _windowTimer?.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
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

        await ScheduleCheckAsync(nextCheckAt);
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
        var missing = new List<string>();
        foreach (var id in productIds)
        {
            if (cache.TryGet(GrainKeys.Product(appId, id), out var cached))
            {
                products[id] = cached;
            }
            else
            {
                missing.Add(id);
            }
        }

        foreach (var snapshot in await Task.WhenAll(missing.Select(id => GrainFactory.GetGrain<IProductGrain>(GrainKeys.Product(appId, id)).GetAsync())))
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
    /// current reminder fire first and re-arm then, which keeps reminder writes off the ingest path.
    /// </summary>
    private async Task ScheduleCheckAsync(DateTimeOffset? nextCheckAt)
    {
        _windowTimer?.Dispose();
        _windowTimer = null;
        if (nextCheckAt is not { } due)
        {
            if (State.ReminderAt is not null)
            {
                _reminderWrite?.Dispose();
                _reminderWrite = null;
                if (await this.GetReminder(WindowReminder) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                State.ReminderAt = null;
                MarkChanged();
            }

            return;
        }

        var now = clock.GetUtcNow();
        var delay = due - now;
        var self = this.AsReference<IContactGrain>();
        _windowTimer = clock.CreateTimer(_ => ReevaluateLater(self), null, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        if (State.ReminderAt is not { } registered || due < registered || registered <= now)
        {
            // The durable reminder is written in a turn of its own, right after this one, so the storage write stays
            // off the path that applies events; until it lands, the timer above covers the window.
            State.ReminderAt = due;
            MarkChanged();
            _reminderWrite?.Dispose();
            _reminderWrite = this.RegisterGrainTimer(
                WriteReminderAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }
    }

    private async Task WriteReminderAsync(CancellationToken cancellationToken)
    {
        _reminderWrite?.Dispose();
        _reminderWrite = null;
        if (State.ReminderAt is { } due)
        {
            var delay = due - clock.GetUtcNow();
            await this.RegisterOrUpdateReminder(WindowReminder, delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        }
    }

    private void ReevaluateLater(IContactGrain self) =>
        self.ReevaluateAsync(false).ContinueWith(
            t => logger.LogWarning(t.Exception, "Window re-evaluation of a contact failed; its reminder will retry"),
            TaskContinuationOptions.OnlyOnFaulted);
}
