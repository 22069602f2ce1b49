namespace ProductEvents.Automations.Tests.Support;

/// <summary>Awaits a condition with a deadline instead of sleeping.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? within = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? within = null) =>
        GetAsync(async () => await probe() ? "ok" : null, what, within);

    public static Task TrueAsync(Func<bool> probe, string what, TimeSpan? within = null) =>
        GetAsync(() => Task.FromResult(probe() ? "ok" : null), what, within);
}
