namespace ProductEvents.Storage.Automations;

/// <summary>
/// Wakes the delivery worker when deliveries were enqueued or a send finished, so a webhook leaves as soon as it is in
/// the outbox rather than at the next poll. Pulses while nobody waits are remembered once.
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        try
        {
            _pulse.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed: the worker looks once for both.
        }
    }

    /// <summary>Waits for a pulse or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
