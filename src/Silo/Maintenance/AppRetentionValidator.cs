using ProductEvents.Api.Apps;

namespace ProductEvents.Silo.Maintenance;

/// <summary>Start-up refuses a retention period that is not one: the message names the key.</summary>
public sealed class AppRetentionValidator : IValidateOptions<AppsOptions>
{
    public ValidateOptionsResult Validate(string? name, AppsOptions options)
    {
        var failures = options.Apps
            .Where(a => a.Value.Retention is not null)
            .Select(a => (a.Key, Problem: AppRetention.Problem(a.Value.Retention!)))
            .Where(a => a.Problem is not null)
            .Select(a => $"ProductEvents:Apps:{a.Key}:Retention: {a.Problem}.")
            .ToList();
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
