namespace ProductEvents.Api.Demo;

/// <summary>Checks <see cref="DemoOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class DemoOptionsValidator : IValidateOptions<DemoOptions>;
