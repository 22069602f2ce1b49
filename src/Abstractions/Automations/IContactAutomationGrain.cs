namespace ProductEvents.Abstractions.Automations;

/// <summary>What automations ask a contact (the same grain as <see cref="IContactGrain"/>, keyed by <see cref="GrainKeys.Contact"/>).</summary>
[Alias("pe.IContactAutomationGrain")]
public interface IContactAutomationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Evaluates an automation's <c>unless</c> condition on the contact's data as it is now (late events included).
    /// Event nodes with <c>same_product</c> count only events on <paramref name="triggerProductId"/> after
    /// <paramref name="triggerTime"/> (event time).
    /// </summary>
    [Alias("EvaluateUnless")]
    Task<bool> EvaluateUnlessAsync(string unlessJson, string? triggerProductId, DateTimeOffset triggerTime);

    [Alias("GetTemplateData")]
    Task<ContactTemplateData> GetTemplateDataAsync();
}
