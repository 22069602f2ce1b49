using Microsoft.Extensions.Hosting;

namespace ProductEvents.Api.Apps;

/// <summary>Outside Development, start-up refuses the well-known keys of the embedded default.</summary>
public sealed class AppsOptionsValidator(IHostEnvironment environment) : IValidateOptions<AppsOptions>
{
    public ValidateOptionsResult Validate(string? name, AppsOptions options)
    {
        var failures = new List<string>();
        foreach (var (appId, app) in options.Apps)
        {
            if (appId.Length == 0 || appId.Contains('/', StringComparison.Ordinal))
            {
                failures.Add($"App id '{appId}' must be non-empty and hold no '/'.");
            }

            if (string.IsNullOrEmpty(app.SecretKey))
            {
                failures.Add($"App '{appId}' has no SecretKey (ProductEvents:Apps:{appId}:SecretKey).");
            }

            if (!environment.IsDevelopment() && (AppsOptions.DevelopmentKeys.Contains(app.SecretKey ?? "") || AppsOptions.DevelopmentKeys.Contains(app.PublicKey ?? "")))
            {
                failures.Add($"App '{appId}' uses the published development keys 'dev-secret'/'dev-public'; set keys of your own outside the Development environment.");
            }
        }

        var keys = options.Apps.Values.SelectMany(a => new[] { a.SecretKey, a.PublicKey }).Where(k => !string.IsNullOrEmpty(k)).ToList();
        if (keys.Count != keys.Distinct(StringComparer.Ordinal).Count())
        {
            failures.Add("Every app key must be unique across apps and kinds.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
