using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// Segment membership, evaluated where the data is whenever the contact changes. Only membership changes leave the
/// grain, on the segments' streams. A time window that will expire sets a timer (precise, while active) and a
/// durable window check (<see cref="IWindowCheckStore"/>, for when the contact is not active at that instant).
/// </summary>
public sealed partial class ContactGrain
{
    /// <summary>Fires at the next window instant on the contact's clock (<see cref="TimeProvider"/>, which tests fake).</summary>
    private ITimer? _windowTimer;

    /// <summary>The Orleans grain timer that runs the window re-evaluation in a turn of this grain; started by <see cref="_windowTimer"/>.</summary>
    private IGrainTimer? _windowTurn;

    private WindowCheckTracker? _windowCheck;

    private WindowCheckTracker WindowCheck => _windowCheck ??= new(
        services.WindowChecks, services.Clock, logger, Key.AppId, Key.Contact,
        () => State.WindowCheckAt,
        due =>
        {
            State.WindowCheckAt = due;
            MarkChanged();
        });

    public async Task<IReadOnlyList<ContactSegment>> GetSegmentsAsync()
    {
        await EnsureLoadedAsync();

        // A deleted segment leaves the state at the contact's next evaluation; until then the definitions say it is gone.
        var defined = (await services.Segments.GetAsync(Key.AppId)).Segments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
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
        _windowTurn?.Dispose();
        await WindowCheck.PendingAsync();

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
        var app = await services.Segments.GetAsync(appId);
        if (build is null && app.Segments.Count == 0 && State.Segments.Count == 0 && State.WindowCheckAt is null)
        {
            return;
        }

        var products = await FetchProductsAsync(appId, ContactMemberships.ProductsNeeded(app.Segments, State));
        var stored = reassert ? await services.Memberships.SegmentsOfAsync(appId, contact) : null;
        var now = services.Clock.GetUtcNow();
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
            foreach (var (segmentId, change) in changes)
            {
                await services.Streams.Of(GrainKeys.Segment(appId, segmentId)).OnNextAsync(change);
            }
        }

        ScheduleCheck(nextCheckAt);
    }

    private Task<IReadOnlyDictionary<string, ProductSnapshot>> FetchProductsAsync(string appId, HashSet<string> productIds) =>
        productIds.Count == 0
            ? Task.FromResult<IReadOnlyDictionary<string, ProductSnapshot>>(new Dictionary<string, ProductSnapshot>())
            : ProductFetch.FetchAsync(GrainFactory, services.Products, appId, productIds);

    /// <summary>
    /// A timer for the exact instant while the grain is active, and the durable window check as the safety net
    /// (<see cref="WindowCheckTracker"/>). The instant is measured on the contact's clock, which Orleans' grain timers do
    /// not follow (they run on Orleans' own clock): that timer only starts the grain timer, whose callback re-evaluates
    /// in a turn of this grain, not interleaved with its calls, and without calling the grain through a reference.
    /// </summary>
    private void ScheduleCheck(DateTimeOffset? nextCheckAt)
    {
        if (nextCheckAt is { } due)
        {
            // One pair of timers per activation, moved at each evaluation rather than replaced.
            _windowTurn ??= this.RegisterGrainTimer(ReevaluateWindowsAsync, new GrainTimerCreationOptions
            {
                DueTime = Timeout.InfiniteTimeSpan,
                Period = Timeout.InfiniteTimeSpan,
                KeepAlive = false,
                Interleave = false,
            });
            _windowTimer ??= services.Clock.CreateTimer(StartTurn, _windowTurn, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _windowTimer.Change(WindowTimerDelay.For(due, services.Clock.GetUtcNow()), Timeout.InfiniteTimeSpan);
        }
        else
        {
            _windowTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        WindowCheck.Want(nextCheckAt);
    }

    /// <summary>Runs outside the grain, on the clock's timer: it only asks Orleans for a turn now.</summary>
    private static void StartTurn(object? turn)
    {
        try
        {
            ((IGrainTimer)turn!).Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The activation is gone; its durable window check brings the contact back when due.
        }
    }

    private async Task ReevaluateWindowsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReevaluateAsync(reassert: false);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Window re-evaluation of contact {Contact} failed; its window check will retry", this.GetPrimaryKeyString());
        }
    }
}
