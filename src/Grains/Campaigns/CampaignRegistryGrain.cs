using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Webhooks;

namespace ProductEvents.Grains.Campaigns;

/// <summary>One app's campaigns: validates a definition (the segment must exist), creates and schedules the campaign.</summary>
public sealed class CampaignRegistryGrain(
    [PersistentState("campaigns", StorageNames.Snapshots)] IPersistentState<CampaignRegistryState> state,
    WebhookAddressPolicy addresses,
    TimeProvider clock) : Grain, ICampaignRegistryGrain
{
    private string AppId => this.GetPrimaryKeyString();

    public async Task<CampaignWriteResult> CreateAsync(string definitionJson)
    {
        if (state.State.CampaignIds.Count >= CampaignLimits.MaxCampaignsPerApp)
        {
            return new CampaignWriteResult(null, [new DefinitionError("", $"An app may have at most {CampaignLimits.MaxCampaignsPerApp} campaigns.")], LimitReached: true);
        }

        var errors = new List<SegmentDefinitionError>();
        var spec = CampaignDefinitionParser.Parse(definitionJson, clock.GetUtcNow(), errors);
        if (spec is not null && addresses.RefuseUrl(new Uri(spec.Url)) is { } refused)
        {
            errors.Add(new("action.webhook.url", refused));
        }

        if (spec is not null && await GrainFactory.GetGrain<ISegmentRegistryGrain>(AppId).GetAsync(spec.SegmentId) is null)
        {
            errors.Add(new("segment_id", $"no segment '{spec.SegmentId}' in this app"));
        }

        if (spec is null || errors.Count > 0)
        {
            return new CampaignWriteResult(null, [.. errors.Select(e => new DefinitionError(e.Path, e.Message))]);
        }

        // Listed before it is scheduled: a crash in between leaves a listed id that answers nothing, never a hidden sender.
        var id = CampaignIds.New();
        state.State.CampaignIds.Add(id);
        await state.WriteStateAsync();
        var info = await GrainFactory.GetGrain<ICampaignGrain>(CampaignIds.Grain(AppId, id)).ScheduleAsync(spec);
        return new CampaignWriteResult(info, []);
    }

    public async Task<IReadOnlyList<CampaignInfo>> ListAsync(int limit)
    {
        var newest = state.State.CampaignIds.AsEnumerable().Reverse().Take(limit);
        var found = await Task.WhenAll(newest.Select(id => GrainFactory.GetGrain<ICampaignGrain>(CampaignIds.Grain(AppId, id)).GetAsync()));
        return [.. found.OfType<CampaignInfo>()];
    }
}
