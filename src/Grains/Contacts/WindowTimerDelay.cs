namespace ProductEvents.Grains.Contacts;

/// <summary>
/// How long a contact's window timer waits for a check due at some instant. A timer accepts at most about 49.7 days;
/// a check further off is re-evaluated after <see cref="MaxWait"/>, which arms the timer again, while the durable
/// window check holds the exact instant.
/// </summary>
public static class WindowTimerDelay
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(7);

    public static TimeSpan For(DateTimeOffset due, DateTimeOffset now)
    {
        var delay = due - now;
        return delay > MaxWait ? MaxWait : delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }
}
