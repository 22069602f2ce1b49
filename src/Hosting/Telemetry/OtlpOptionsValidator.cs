namespace ProductEvents.Hosting.Telemetry;

/// <summary>Checks <see cref="OtlpOptions"/> when the host is built: a bad value stops it with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class OtlpOptionsValidator : IValidateOptions<OtlpOptions>;
