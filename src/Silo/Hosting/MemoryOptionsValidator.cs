namespace ProductEvents.Silo.Hosting;

/// <summary>Checks <see cref="MemoryOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class MemoryOptionsValidator : IValidateOptions<MemoryOptions>;
