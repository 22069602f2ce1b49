using Microsoft.Extensions.Options;

namespace ProductEvents.Storage.EventLog;

/// <summary>Checks <see cref="QuotaOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
public sealed class QuotaOptionsValidator : IValidateOptions<QuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, QuotaOptions options)
    {
        var failures = Check($"{QuotaOptions.Section}:Default", options.Default)
            .Concat(options.Apps.SelectMany(app => Check($"{QuotaOptions.Section}:Apps:{app.Key}", app.Value)))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Check(string key, AppQuota? quota)
    {
        if (quota is null)
        {
            yield break;
        }

        if (!double.IsFinite(quota.EventsPerSecond) || quota.EventsPerSecond is < 0 or > 10_000_000)
        {
            yield return $"{key}:EventsPerSecond must be between 0 (unlimited) and 10000000.";
        }

        if (!double.IsFinite(quota.Burst) || quota.Burst is < 0 or > 100_000_000)
        {
            yield return $"{key}:Burst must be between 0 (one second of the rate) and 100000000.";
        }
    }
}
