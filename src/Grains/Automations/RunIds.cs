using System.Security.Cryptography;
using System.Text;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Run and delivery ids derived from what triggered them, so seeing the same trigger twice (a redelivery, a replay
/// after a crash) names the same run, and firing a run twice names the same delivery.
/// </summary>
public static class RunIds
{
    public static string ForEvent(string automationId, Guid eventId) => "run_" + Hash($"{automationId}|e|{eventId:N}");

    public static string ForSegmentChange(string automationId, string segmentId, long changeNumber) =>
        "run_" + Hash($"{automationId}|s|{segmentId}|{changeNumber}");

    public static string CapGrain(string appId, string automationId, ContactRef contact) =>
        $"{appId}/{automationId}/{(contact.IsAnonymous ? "k/" : "u/")}{contact.Value}";

    public static string DeliveryForRun(string runId) => "dlv_" + runId[4..];

    public static string DeliveryForCampaign(string campaignId, ContactRef contact) =>
        "dlv_" + Hash($"{campaignId}|{(contact.IsAnonymous ? "k/" : "u/")}{contact.Value}");

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
