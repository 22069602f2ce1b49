using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ProductEvents.Abstractions.Options;

public static class OptionsBuilderExtensions
{
    /// <summary>Binds <paramref name="section"/> and validates it at start-up: a bad value stops the start, naming its key.</summary>
    public static OptionsBuilder<TOptions> BindValidated<TOptions, TValidator>(this OptionsBuilder<TOptions> builder, string section)
        where TOptions : class
        where TValidator : IValidateOptions<TOptions>, new()
    {
        builder.BindConfiguration(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new KeyedOptionsValidator<TOptions, TValidator>(section));
        return builder;
    }

    /// <summary>Validates options read before the host exists (the silo's own settings): throws, naming the key.</summary>
    public static TOptions Validated<TOptions, TValidator>(this TOptions options, string section)
        where TOptions : class
        where TValidator : IValidateOptions<TOptions>, new()
    {
        var result = new KeyedOptionsValidator<TOptions, TValidator>(section).Validate(null, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(TOptions), result.Failures) : options;
    }
}
