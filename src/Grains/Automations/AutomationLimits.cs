namespace ProductEvents.Grains.Automations;

/// <summary>Bounds on automations, so a definition stays cheap to check on every event.</summary>
public static class AutomationLimits
{
    public const int MaxAutomationsPerApp = 100;
    public const int MaxNameLength = 200;
    public const int MaxTemplateLength = 16 * 1024;
    public const int MaxUrlLength = 2048;
    public const int MaxSecretLength = 256;

    /// <summary>The longest wait and frequency-cap period.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    /// <summary>The most sends a frequency cap may allow per period.</summary>
    public const int MaxCap = 1000;
}
