namespace ProductEvents.Grains.Campaigns;

[GenerateSerializer, Alias("pe.CampaignRegistryState")]
public sealed class CampaignRegistryState
{
    /// <summary>Campaign ids, oldest first.</summary>
    [Id(0)] public List<string> CampaignIds { get; set; } = [];
}
