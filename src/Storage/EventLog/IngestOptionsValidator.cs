using Microsoft.Extensions.Options;

namespace ProductEvents.Storage.EventLog;

/// <summary>Checks <see cref="IngestOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class IngestOptionsValidator : IValidateOptions<IngestOptions>;
