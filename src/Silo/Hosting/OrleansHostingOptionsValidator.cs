namespace ProductEvents.Silo.Hosting;

/// <summary>Checks <see cref="OrleansHostingOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class OrleansHostingOptionsValidator : IValidateOptions<OrleansHostingOptions>;
