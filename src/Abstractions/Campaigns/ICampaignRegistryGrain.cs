namespace ProductEvents.Abstractions.Campaigns;

/// <summary>The campaigns of one app, keyed by app id: validates and creates them, and lists them newest first.</summary>
[Alias("pe.ICampaignRegistryGrain")]
public interface ICampaignRegistryGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<CampaignWriteResult> CreateAsync(string definitionJson);

    [Alias("List")]
    Task<IReadOnlyList<CampaignInfo>> ListAsync(int limit);
}
