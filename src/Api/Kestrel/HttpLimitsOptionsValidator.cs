namespace ProductEvents.Api.Kestrel;

/// <summary>Checks <see cref="HttpLimitsOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class HttpLimitsOptionsValidator : IValidateOptions<HttpLimitsOptions>;
