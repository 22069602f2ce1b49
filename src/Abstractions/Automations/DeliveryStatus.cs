namespace ProductEvents.Abstractions.Automations;

public enum DeliveryStatus
{
    Pending = 0,
    Delivered = 1,

    /// <summary>The last attempt failed; another is scheduled (<see cref="Delivery.NextAttemptAt"/>).</summary>
    Failed = 2,

    /// <summary>Every attempt failed: it waits for a retry through the API.</summary>
    Dead = 3,
}
