namespace ProductEvents.Silo.Maintenance;

/// <summary>Checks <see cref="RetentionOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
