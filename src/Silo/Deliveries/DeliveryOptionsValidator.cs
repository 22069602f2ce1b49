namespace ProductEvents.Silo.Deliveries;

/// <summary>Checks <see cref="DeliveryOptions"/> at start-up: a bad value stops the start with a message naming its key.</summary>
[OptionsValidator]
public sealed partial class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>;
