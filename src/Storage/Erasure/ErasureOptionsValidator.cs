using Microsoft.Extensions.Options;

namespace ProductEvents.Storage.Erasure;

/// <summary>Checks <see cref="ErasureOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class ErasureOptionsValidator : IValidateOptions<ErasureOptions>;
