namespace ProductEvents.Grains.Segments;

/// <summary>Checks <see cref="WindowCheckSchedulerOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class WindowCheckSchedulerOptionsValidator : IValidateOptions<WindowCheckSchedulerOptions>;
