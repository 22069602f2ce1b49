namespace ProductEvents.Abstractions.Automations;

/// <summary>The frequency cap of one automation for one contact, keyed "{app}/{automationId}/{contactKey}".</summary>
[Alias("pe.IAutomationCapGrain")]
public interface IAutomationCapGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes one send for <paramref name="runId"/> unless <paramref name="max"/> sends were taken within
    /// <paramref name="per"/> before <paramref name="now"/>. Asking again for the same run answers true again.
    /// </summary>
    [Alias("TryTake")]
    Task<bool> TryTakeAsync(string runId, int max, TimeSpan per, DateTimeOffset now);
}
