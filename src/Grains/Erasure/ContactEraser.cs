using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Analytics;
using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;
using ProductEvents.Grains.Projections;
using ProductEvents.Storage.Automations;
using ProductEvents.Storage.Erasure;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Numbers;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Erasure;

/// <summary>
/// Runs a contact's erasure (<see cref="ErasureStep"/>) from the step it is at to the end, saving the next step after
/// each one: a crash resumes at the step it interrupted, and every step can run twice. What each step erases and what
/// it leaves is in docs/decisions/0012-contact-erasure-and-retention.md.
/// </summary>
public sealed class ContactEraser(
    IErasureStore erasures,
    IContactLogData log,
    ILogApplyBarrier applied,
    ISegmentMembershipStore memberships,
    IAutomationRunStore runs,
    IDeliveryOutbox outbox,
    IEntityNumbers numbers,
    AutomationDefinitionCache automations,
    IGrainFactory grains,
    ErasureSignal signal,
    IOptions<ErasureOptions> options,
    TimeProvider clock,
    ILogger<ContactEraser> logger)
{
    /// <summary>Grain calls of one step in flight at once (products sealed, segments flushed, caps cleared).</summary>
    public const int GrainConcurrency = 32;

    /// <summary>Runs the erasure to its end; answers it done. Throws when a step fails (the erasure stays where it was).</summary>
    public async Task<ContactErasure> RunAsync(ContactErasure erasure, CancellationToken cancellationToken)
    {
        while (!erasure.IsDone)
        {
            cancellationToken.ThrowIfCancellationRequested();
            erasure = await RunStepAsync(erasure, cancellationToken);
            await erasures.SaveAsync(erasure, erasure.IsDone ? null : clock.GetUtcNow() + options.Value.Lease, cancellationToken);
            signal.Progressed();
        }

        logger.LogInformation(
            "Erasure of a contact of app {App} done: {Events} events, {Visitors} visitors, {Segments} memberships, {Runs} waiting runs, {Deliveries} pending webhooks",
            erasure.AppId, erasure.Events, erasure.VisitorKeys.Count, erasure.Segments, erasure.Runs, erasure.Deliveries);
        return erasure;
    }

    private async Task<ContactErasure> RunStepAsync(ContactErasure e, CancellationToken cancellationToken)
    {
        var contacts = e.Contacts;
        switch (e.Step)
        {
            case ErasureStep.Log:
                // What was committed before now is applied first: its products are sealed with it, and no grain
                // applies an erased entry after the grain is erased (the next step waits again for what came meanwhile).
                await applied.WaitAsync(cancellationToken);
                var products = await log.ListProductsOfAsync(e.AppId, e.UserId, e.VisitorKeys, cancellationToken);
                await ForEachAsync(products, p => grains.GetGrain<IProductRetention>(GrainKeys.Product(e.AppId, p)).SealAsync(), cancellationToken);
                var events = await log.EraseContactAsync(e.AppId, e.UserId, e.VisitorKeys, cancellationToken);
                return e with { Step = ErasureStep.Grains, Events = e.Events + events };

            case ErasureStep.Grains:
                await applied.WaitAsync(cancellationToken);
                await ForEachAsync(contacts, c => grains.GetGrain<IContactErasure>(GrainKeys.Contact(e.AppId, c)).EraseAsync(), cancellationToken);
                await grains.GetGrain<IAnalyticsProjectionGrain>(e.AppId).ForgetContactsAsync(contacts);
                return e with { Step = ErasureStep.Segments };

            case ErasureStep.Segments:
                return e with { Step = ErasureStep.Automations, Segments = e.Segments + await LeaveSegmentsAsync(e, cancellationToken) };

            case ErasureStep.Automations:
                var (waiting, _) = await runs.EraseContactsAsync(e.AppId, contacts, cancellationToken);
                var capped = (await automations.GetAsync(e.AppId)).Automations.Values.Where(a => a.Definition.Cap is not null).Select(a => a.Id).ToList();
                await ForEachAsync(
                    capped.SelectMany(a => contacts.Select(c => RunIds.CapGrain(e.AppId, a, c))).ToList(),
                    key => grains.GetGrain<IAutomationCapErasure>(key).ClearAsync(),
                    cancellationToken);
                return e with { Step = ErasureStep.Deliveries, Runs = e.Runs + waiting };

            case ErasureStep.Deliveries:
                var (pending, _) = await outbox.EraseContactsAsync(e.AppId, contacts, cancellationToken);
                return e with { Step = ErasureStep.Numbers, Deliveries = e.Deliveries + pending };

            case ErasureStep.Numbers:
                await numbers.ForgetAsync(e.AppId, [.. contacts.Select(NumberedKey.Contact)], cancellationToken);
                return e with { Step = ErasureStep.Sweep };

            case ErasureStep.Sweep:
                return await SweepAsync(e, cancellationToken);

            default:
                return e;
        }
    }

    /// <summary>
    /// Changes already on their way to the segments (the contact evaluated before it was erased) are written first, then
    /// every membership of the contacts ends with an erased leave.
    /// </summary>
    private async Task<int> LeaveSegmentsAsync(ContactErasure e, CancellationToken cancellationToken)
    {
        var segments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var contact in e.Contacts)
        {
            segments.UnionWith((await memberships.SegmentsOfAsync(e.AppId, contact, cancellationToken)).Keys);
        }

        await ForEachAsync(segments.ToList(), s => grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(e.AppId, s)).FlushAsync(), cancellationToken);
        return await memberships.EraseContactsAsync(e.AppId, e.Contacts, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Work that read the contact before its erasure may have written after the step that erased its result: a
    /// membership change still on a stream, a run firing under a claim, a campaign page. They are erased once more.
    /// A contact with entries again (events that came during the erasure start it anew) re-asserts its memberships.
    /// </summary>
    private async Task<ContactErasure> SweepAsync(ContactErasure e, CancellationToken cancellationToken)
    {
        var contacts = e.Contacts;
        var segments = await LeaveSegmentsAsync(e, cancellationToken);
        var (waiting, _) = await runs.EraseContactsAsync(e.AppId, contacts, cancellationToken);
        var (pending, _) = await outbox.EraseContactsAsync(e.AppId, contacts, cancellationToken);
        foreach (var contact in contacts)
        {
            if ((await log.ReadContactPageAsync(e.AppId, contact, 0, 1, cancellationToken)).Count > 0)
            {
                await grains.GetGrain<IContactProjectionGrain>(GrainKeys.Contact(e.AppId, contact)).ReevaluateAsync(reassert: true);
            }
        }

        return e with
        {
            Step = ErasureStep.Done,
            Segments = e.Segments + segments,
            Runs = e.Runs + waiting,
            Deliveries = e.Deliveries + pending,
            DoneAt = clock.GetUtcNow(),
        };
    }

    private static Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> action, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = GrainConcurrency, CancellationToken = cancellationToken }, async (item, _) => await action(item));
}
