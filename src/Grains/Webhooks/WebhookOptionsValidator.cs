using System.Net;

namespace ProductEvents.Grains.Webhooks;

/// <summary>Checks <see cref="WebhookOptions"/> at start-up: every allowed network must parse as CIDR.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = options.AllowedNetworks
            .Select((network, i) => IPNetwork.TryParse(network, out _)
                ? null
                : $"AllowedNetworks:{i}: '{network}' is not a network in CIDR notation, such as 10.20.0.0/16 or fd00:1::/64.")
            .OfType<string>()
            .ToList();
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
