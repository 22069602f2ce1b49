using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Storage.Automations;

/// <summary>The lowercase names of run and delivery statuses, in the API and in the tables.</summary>
public static class StatusNames
{
    public static string Of(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    public static string Of(RunStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseDelivery(string? text, out DeliveryStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    public static bool TryParseRun(string? text, out RunStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && status != RunStatus.None && Enum.IsDefined(status) && !int.TryParse(text, out _);
}
