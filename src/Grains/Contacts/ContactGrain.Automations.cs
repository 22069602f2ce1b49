using System.Text.Json;
using ProductEvents.Grains.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// Automations, where the data is: the new events this contact applies are checked against the app's event triggers
/// (never its history), and a run asks the contact at fire time whether its <c>unless</c> holds.
/// </summary>
public sealed partial class ContactGrain : IContactAutomationGrain
{
    private const int TemplateProductsKept = 20;

    /// <summary>How far back an entry applied by a catch-up is still checked against triggers.</summary>
    private static readonly TimeSpan TriggerHorizon = TimeSpan.FromHours(1);

    /// <summary>
    /// Entries applied since the last trigger check, received within <see cref="TriggerHorizon"/>: the new events, and
    /// those a catch-up from the log applied, whose triggers a crash between commit and apply would otherwise lose.
    /// A trigger seen twice starts one run (the run id comes from the automation and the event).
    /// </summary>
    private List<ProductEventRecord>? _arriving;

    public async Task<bool> EvaluateUnlessAsync(string unlessJson, string? triggerProductId, DateTimeOffset triggerTime)
    {
        await EnsureLoadedAsync();
        var errors = new List<SegmentDefinitionError>();
        using var document = JsonDocument.Parse(unlessJson);
        var unless = UnlessConditionParser.Parse(document.RootElement, errors)
            ?? throw new ArgumentException($"The unless condition does not parse: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}", nameof(unlessJson));
        var products = await FetchProductsAsync(Key.AppId, [.. SegmentEvaluator.ProductsNeeded(unless.Condition, State)]);
        return UnlessEvaluator.Holds(unless, State, products, triggerProductId, triggerTime, services.Clock.GetUtcNow());
    }

    public async Task<ContactTemplateData> GetTemplateDataAsync()
    {
        await EnsureLoadedAsync();
        var empty = State.EventCount == 0;
        return new ContactTemplateData(
            Key.Contact,
            State.EventCount,
            empty ? null : State.FirstSeenAt,
            empty ? null : State.LastSeenAt,
            ProductsWith(ProductEventType.View, ProductEventType.Detail),
            ProductsWith(ProductEventType.AddToCart),
            ProductsWith(ProductEventType.Purchase));
    }

    /// <summary>Starts a run for every (new entry, enabled automation) whose trigger matches. A run started before is left as it is.</summary>
    private async Task CheckAutomationTriggersAsync(ProductEventRecord[] events)
    {
        if (events.Length == 0 || services is not { Automations: { } automations, Runs: { } runs })
        {
            return;
        }

        var (appId, contact) = Key;
        try
        {
            var app = await automations.GetAsync(appId);
            if (app.EventTriggered.Count == 0)
            {
                return;
            }

            var needed = events.Where(e => app.EventTriggered.Any(a => TriggerMatcher.IsNewTo(a, e) && TriggerMatcher.NeedsProduct(a.Definition.EventTrigger!, e)))
                .Select(e => e.ProductId).ToHashSet(StringComparer.Ordinal);
            var products = await FetchProductsAsync(appId, needed);
            var now = services.Clock.GetUtcNow();
            var starts = new List<RunRecord>();
            foreach (var entry in events)
            {
                foreach (var automation in app.EventTriggered)
                {
                    if (TriggerMatcher.IsNewTo(automation, entry) && TriggerMatcher.Matches(automation.Definition.EventTrigger!, entry, products.GetValueOrDefault(entry.ProductId)))
                    {
                        var trigger = new TriggerEvent(entry.Id.ToString(), "event", entry.ProductId, entry.Timestamp, entry.EventType);
                        starts.Add(new RunRecord(
                            appId, automation.Id, RunIds.ForEvent(automation.Id, entry.Id), contact, RunStatus.Waiting,
                            now + automation.Definition.Wait, trigger, now, null));
                    }
                }
            }

            // Awaited: once this contact's snapshot holds the entries, a catch-up would not check them again.
            await runs.StartAsync(starts);
        }
        catch (Exception ex)
        {
            // The events are applied and acknowledged; a lost trigger must not fail them.
            logger.LogWarning(ex, "Automation triggers of contact {Contact} not checked", this.GetPrimaryKeyString());
        }
    }

    private void NoteForTriggers(ProductEventRecord entry)
    {
        if (entry.ReceivedAt >= services.Clock.GetUtcNow() - TriggerHorizon)
        {
            (_arriving ??= []).Add(entry);
        }
    }

    private ProductEventRecord[] TakeArriving()
    {
        var arriving = _arriving?.ToArray() ?? [];
        _arriving = null;
        return arriving;
    }

    private IReadOnlyList<string> ProductsWith(params ProductEventType[] types) =>
    [
        .. State.Interactions
            .Select(p => (ProductId: p.Key, LastAt: p.Value.Items.Where(i => types.Contains(i.Type)).Select(i => (DateTimeOffset?)i.LastAt).Max()))
            .Where(p => p.LastAt is not null)
            .OrderByDescending(p => p.LastAt)
            .ThenBy(p => p.ProductId, StringComparer.Ordinal)
            .Take(TemplateProductsKept)
            .Select(p => p.ProductId),
    ];
}
