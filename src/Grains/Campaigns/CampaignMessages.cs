using Fluid;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Automations;

namespace ProductEvents.Grains.Campaigns;

/// <summary>
/// One page of a campaign: each member's message rendered with <c>contact</c> (its viewed, cart and purchased products)
/// and <c>product</c> (the product it viewed last) in scope, and put in the outbox under an id derived from the campaign
/// and the contact, so sending a page again after a crash adds nothing.
/// </summary>
public sealed class CampaignMessages(IGrainFactory grains, IDeliveryOutbox outbox)
{
    public async Task<(int Sent, int Failed)> SendPageAsync(
        string appId, string campaignId, CampaignSpec spec, IFluidTemplate template, IReadOnlyList<SegmentMember> members, DateTimeOffset now)
    {
        var outcomes = await Task.WhenAll(members.Select(m => SendOneAsync(appId, campaignId, spec, template, m.Contact, now)));
        var sent = outcomes.Count(ok => ok);
        return (sent, outcomes.Length - sent);
    }

    private async Task<bool> SendOneAsync(string appId, string campaignId, CampaignSpec spec, IFluidTemplate template, ContactRef contact, DateTimeOffset now)
    {
        var data = await grains.GetGrain<IContactAutomationGrain>(GrainKeys.Contact(appId, contact)).GetTemplateDataAsync();
        var products = await new RunFiring(grains, outbox).FetchProductsAsync(appId, [.. data.ViewedProductIds, .. data.CartProductIds, .. data.PurchasedProductIds]);
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
            return false;
        }

        var body = WebhookPayload.Build(null, null, campaignId, contact, productId, product, null, message);
        await outbox.EnqueueAsync(new Delivery(
            RunIds.DeliveryForCampaign(campaignId, contact), appId, null, null, campaignId, spec.Url, body,
            WebhookPayload.Sign(body, spec.Secret), DeliveryStatus.Pending, 0, now, null, now, now));
        return true;
    }
}
