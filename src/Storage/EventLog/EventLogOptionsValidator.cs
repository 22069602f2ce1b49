using Microsoft.Extensions.Options;

namespace ProductEvents.Storage.EventLog;

/// <summary>Checks <see cref="EventLogOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class EventLogOptionsValidator : IValidateOptions<EventLogOptions>;
