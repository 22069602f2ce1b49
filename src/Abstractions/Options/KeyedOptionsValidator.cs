using Microsoft.Extensions.Options;

namespace ProductEvents.Abstractions.Options;

/// <summary>
/// Runs a generated options validator and names each failure by its configuration key
/// ("ProductEvents:Ingest:MaxBatchEvents: ..."), so an operator finds the setting to change.
/// </summary>
public sealed class KeyedOptionsValidator<TOptions, TValidator>(string section) : IValidateOptions<TOptions>
    where TOptions : class
    where TValidator : IValidateOptions<TOptions>, new()
{
    private readonly TValidator _inner = new();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = _inner.Validate(name, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => $"{section}:{failure}"))
            : result;
    }
}
