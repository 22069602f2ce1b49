namespace ProductEvents.Api.Operator;

/// <summary>Checks <see cref="OperatorOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class OperatorOptionsValidator : IValidateOptions<OperatorOptions>;
