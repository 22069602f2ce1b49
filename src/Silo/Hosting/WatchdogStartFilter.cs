using System.Diagnostics;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Drops one false warning of Orleans' watchdog. Its platform thread starts before the component stopwatch it reads
/// is started, so when that thread runs first (common on a busy machine) it reports that the component check "has not
/// completed" for the time since the machine's monotonic clock began: hours, in a process a second old. A stall
/// longer than the process has lived cannot be real; every other watchdog warning, and this one with a possible
/// duration, passes unchanged.
/// </summary>
public sealed class WatchdogStartFilter(ILoggerFactory inner) : ILoggerFactory
{
    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";

    private static readonly DateTime ProcessStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == WatchdogCategory ? new Filtered(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    /// <summary>True for the stalled-check warning whose duration exceeds the process's age.</summary>
    public static bool IsImpossibleStall<TState>(TState state, TimeSpan processAge) =>
        state is IReadOnlyList<KeyValuePair<string, object?>> values
        && values.Any(v => v.Key == "{OriginalFormat}" && v.Value is string format && format.StartsWith("Participant check thread has not completed", StringComparison.Ordinal))
        && values.Any(v => v.Key == "TimeSinceLastTick" && v.Value is TimeSpan stalled && stalled > processAge);

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsImpossibleStall(state, DateTime.UtcNow - ProcessStart))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
