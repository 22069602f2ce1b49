namespace ProductEvents.Abstractions.Automations;

/// <summary>The outcome of one attempt to send a delivery: its new status, attempt count, next attempt time and error.</summary>
public sealed record DeliveryAttempt(
    string Id,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset At);
