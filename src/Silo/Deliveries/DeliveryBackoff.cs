namespace ProductEvents.Silo.Deliveries;

/// <summary>Exponential backoff with full jitter: a random wait between zero and min(max, base × 2^(attempt−1)).</summary>
public static class DeliveryBackoff
{
    public static TimeSpan Next(int attempts, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * random);
    }
}
