namespace ProductEvents.Grains.Automations;

/// <summary>
/// What a run does when its wait ends: re-check <c>unless</c> on the contact as it is now, take the frequency cap and
/// render the message of the webhook the caller puts in the outbox. Each step is idempotent for the run (the cap
/// counts a run once, the delivery id derives from the run), so firing again after a crash part-way sends at most one
/// webhook.
/// </summary>
public sealed class RunFiring(IGrainFactory grains)
{
    public async Task<(RunStatus Status, string? Reason, Delivery? Delivery)> FireAsync(CompiledAutomation? automation, RunRecord run, DateTimeOffset now)
    {
        if (automation is null)
        {
            return (RunStatus.Cancelled, "the automation was deleted", null);
        }

        var definition = automation.Definition;
        if (!definition.Enabled)
        {
            return (RunStatus.Cancelled, "the automation is disabled", null);
        }

        var (appId, automationId, runId, trigger) = (run.AppId, run.AutomationId, run.RunId, run.Trigger);
        var contact = grains.GetGrain<IContactAutomationGrain>(GrainKeys.Contact(appId, run.Contact));
        if (definition.UnlessJson is { } unless && await contact.EvaluateUnlessAsync(unless, trigger.ProductId, trigger.Timestamp))
        {
            return (RunStatus.Cancelled, "unless held at fire time", null);
        }

        if (definition.Cap is { } cap
            && !await grains.GetGrain<IAutomationCapGrain>(RunIds.CapGrain(appId, automationId, run.Contact)).TryTakeAsync(runId, cap.Max, cap.Per, now))
        {
            return (RunStatus.Capped, $"frequency cap of {cap.Max} per {cap.Per} reached", null);
        }

        var data = await contact.GetTemplateDataAsync();
        var products = await FetchProductsAsync(appId, [trigger.ProductId, .. data.ViewedProductIds, .. data.CartProductIds, .. data.PurchasedProductIds]);
        var product = trigger.ProductId is { } id ? products.GetValueOrDefault(id) : null;
        var scope = TemplateScope.Build(product, trigger.ProductId, data, products, trigger);
        string message;
        try
        {
            message = await MessageTemplates.RenderAsync(definition.Webhook.Template, scope);
        }
        catch (InvalidOperationException ex)
        {
            // Fluid stops a template past its step or recursion limit this way; trying again would stop the same way.
            return (RunStatus.Cancelled, $"the template did not render: {ex.Message}", null);
        }

        var body = WebhookPayload.Build(automationId, runId, null, run.Contact, trigger.ProductId, product, trigger, message);
        var delivery = new Delivery(
            RunIds.DeliveryForRun(runId), appId, automationId, runId, null, definition.Webhook.Url.ToString(), body,
            WebhookPayload.Sign(body, definition.Webhook.Secret), DeliveryStatus.Pending, 0, now, null, now, now);
        return (RunStatus.Fired, null, delivery);
    }

    public async Task<IReadOnlyDictionary<string, ProductSnapshot>> FetchProductsAsync(string appId, IEnumerable<string?> ids)
    {
        var distinct = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var snapshots = await Task.WhenAll(distinct.Select(id => grains.GetGrain<IProductGrain>(GrainKeys.Product(appId, id)).GetAsync()));
        return snapshots.OfType<ProductSnapshot>().ToDictionary(p => p.ProductId, StringComparer.Ordinal);
    }
}
