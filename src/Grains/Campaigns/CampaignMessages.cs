using Fluid;
using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Grains.Campaigns;

/// <summary>
/// One page of a campaign: each member's message rendered with <c>contact</c> (its viewed, cart and purchased products)
/// and <c>product</c> (the product it viewed last) in scope, and put in the outbox under an id derived from the campaign
/// and the contact, so sending a page again after a crash adds nothing. A page's messages go in with one write.
/// </summary>
public sealed class CampaignMessages(IGrainFactory grains, IDeliveryOutbox outbox)
{
    public async Task<(int Sent, int Failed)> SendPageAsync(
        string appId, string campaignId, CampaignSpec spec, IFluidTemplate template, IReadOnlyList<SegmentMember> members, DateTimeOffset now)
    {
        var messages = await Task.WhenAll(members.Select(m => RenderAsync(appId, campaignId, spec, template, m.Contact, now)));
        var deliveries = messages.OfType<Delivery>().ToList();
        await outbox.EnqueueAsync(deliveries);
        return (deliveries.Count, messages.Length - deliveries.Count);
    }

    /// <summary>The member's delivery, or null when its message did not render.</summary>
    private async Task<Delivery?> RenderAsync(string appId, string campaignId, CampaignSpec spec, IFluidTemplate template, ContactRef contact, DateTimeOffset now)
    {
        var data = await grains.GetGrain<IContactAutomationGrain>(GrainKeys.Contact(appId, contact)).GetTemplateDataAsync();
        var products = await new RunFiring(grains).FetchProductsAsync(appId, [.. data.ViewedProductIds, .. data.CartProductIds, .. data.PurchasedProductIds]);
        var productId = data.ViewedProductIds.FirstOrDefault();
        var product = productId is null ? null : products.GetValueOrDefault(productId);
        string message;
        try
        {
            message = await MessageTemplates.RenderAsync(template, TemplateScope.Build(product, productId, data, products, null));
        }
        catch (InvalidOperationException)
        {
            // Fluid stops a template past its step or recursion limit this way: that member is counted as failed.
            return null;
        }

        var body = WebhookPayload.Build(null, null, campaignId, contact, productId, product, null, message);
        return new Delivery(
            RunIds.DeliveryForCampaign(campaignId, contact), appId, null, null, campaignId, spec.Url, body,
            WebhookPayload.Sign(body, spec.Secret), DeliveryStatus.Pending, 0, now, null, now, now);
    }
}
