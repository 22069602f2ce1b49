using System.Security.Cryptography;

namespace ProductEvents.Grains.Campaigns;

public static class CampaignIds
{
    public static string New() => "cmp_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static string Grain(string appId, string campaignId) => $"{appId}/{campaignId}";

    public static (string AppId, string CampaignId) Parse(string key)
    {
        var parts = key.Split('/', 2);
        return (parts[0], parts[1]);
    }
}
