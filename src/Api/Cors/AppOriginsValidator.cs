namespace ProductEvents.Api.Cors;

/// <summary>Start-up refuses an allowed origin that is not <c>*</c> or <c>scheme://host[:port]</c>.</summary>
public sealed class AppOriginsValidator : IValidateOptions<AppsOptions>
{
    public ValidateOptionsResult Validate(string? name, AppsOptions options)
    {
        var failures = options.Apps
            .SelectMany(app => app.Value.AllowedOrigins
                .Where(origin => !AppOrigins.IsValid(origin))
                .Select(origin => $"App '{app.Key}': AllowedOrigins entry '{origin}' must be '*' or an origin such as 'https://shop.example' (scheme, host, optional port; no path)."))
            .ToList();
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
