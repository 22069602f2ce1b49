using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// A contact: its interaction summary, and its segment memberships, evaluated here where the data is whenever it
/// changes. Only membership changes leave the grain, on the segments' streams. A time window that will expire sets a
/// timer (precise, while active) and a durable reminder (survives restarts and deactivation).
/// </summary>
public sealed class ContactGrain(
    [PersistentState("contact", StorageNames.Snapshots)] IPersistentState<ContactState> state,
    IEventLogReader log,
    SegmentDefinitionCache segments,
    TimeProvider clock,
    IOptions<ProjectionOptions> options,
    ILogger<ContactGrain> logger)
    : ProjectionGrain<ContactState>(state, options, logger), IContactGrain, IRemindable
{
    private const string WindowReminder = "segment-windows";

    private ITimer? _windowTimer;

    private (string AppId, ContactRef Contact) Key => GrainKeys.ParseContact(this.GetPrimaryKeyString());

    public Task<ContactSnapshot?> GetAsync() => Task.FromResult(ContactProjection.ToSnapshot(Key.Contact, State));

    public Task<IReadOnlyList<ContactSegment>> GetSegmentsAsync() =>
        Task.FromResult<IReadOnlyList<ContactSegment>>([.. State.Segments.Select(s => new ContactSegment(s.Key, s.Value)).OrderBy(s => s.Since)]);

    public Task ReevaluateAsync(bool reassert) => EvaluateSegmentsAsync(reassert);

    public Task ReceiveReminder(string reminderName, TickStatus status) => EvaluateSegmentsAsync(reassert: false);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _windowTimer?.Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    protected override IAsyncEnumerable<ProductEventRecord> ReadEntriesAfterAsync(long afterSeq, CancellationToken cancellationToken) =>
        log.ReadContactAsync(Key.AppId, Key.Contact, afterSeq, cancellationToken);

    protected override void Apply(ProductEventRecord entry) =>
        ContactProjection.Apply(State, entry, Options.MaxInteractionsPerContact);

    protected override Task OnAppliedAsync() => EvaluateSegmentsAsync(reassert: false);

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
            MarkDirty();
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

        var snapshots = await Task.WhenAll(productIds.Select(id => GrainFactory.GetGrain<IProductGrain>(GrainKeys.Product(appId, id)).GetAsync()));
        return snapshots.OfType<ProductSnapshot>().ToDictionary(p => p.ProductId, StringComparer.Ordinal);
    }

    /// <summary>
    /// A timer for the exact instant while the grain is active, and a durable reminder as the safety net. The reminder
    /// is moved only when the next check comes earlier: a later one lets the current reminder fire and re-arm.
    /// </summary>
    private async Task ScheduleCheckAsync(DateTimeOffset? nextCheckAt)
    {
        _windowTimer?.Dispose();
        _windowTimer = null;
        if (nextCheckAt is not { } due)
        {
            if (State.ReminderAt is not null && await this.GetReminder(WindowReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            if (State.ReminderAt is not null)
            {
                State.ReminderAt = null;
                MarkDirty();
            }

            return;
        }

        var delay = due - clock.GetUtcNow();
        var self = this.AsReference<IContactGrain>();
        _windowTimer = clock.CreateTimer(_ => ReevaluateLater(self), null, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        if (State.ReminderAt is null || due < State.ReminderAt)
        {
            var dueTime = delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1);
            await this.RegisterOrUpdateReminder(WindowReminder, dueTime, TimeSpan.FromHours(1));
            State.ReminderAt = due;
            MarkDirty();
        }
    }

    private void ReevaluateLater(IContactGrain self) =>
        self.ReevaluateAsync(false).ContinueWith(
            t => logger.LogWarning(t.Exception, "Window re-evaluation of {Contact} failed; the reminder will retry", this.GetPrimaryKeyString()),
            TaskContinuationOptions.OnlyOnFaulted);
}
