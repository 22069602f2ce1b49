namespace ProductEvents.Grains.Automations;

/// <summary>Checks <see cref="RunSchedulerOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class RunSchedulerOptionsValidator : IValidateOptions<RunSchedulerOptions>;
