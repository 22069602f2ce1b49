using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Api.Apps;

/// <summary>
/// Keeps <see cref="StoredAppKeys"/> current: the first load before the host serves (stored keys work from the first
/// request), then a version check every <see cref="StoredAppKeys.PollInterval"/> and the last-used times every
/// <see cref="StoredAppKeys.UseFlushInterval"/> and at stop. While the store cannot be read the last copy stays in
/// use (revocations made meanwhile wait for it), and the failure is logged once, not every second.
/// </summary>
public sealed partial class StoredAppKeysService(StoredAppKeys keys, TimeProvider clock, ILogger<StoredAppKeysService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.RefreshAsync(force: true, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await keys.FlushUsesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StoredAppKeys.PollInterval, clock);
        var nextFlush = clock.GetUtcNow() + StoredAppKeys.UseFlushInterval;
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await keys.RefreshAsync(cancellationToken: stoppingToken);
                    if (clock.GetUtcNow() >= nextFlush)
                    {
                        await keys.FlushUsesAsync(stoppingToken);
                        nextFlush = clock.GetUtcNow() + StoredAppKeys.UseFlushInterval;
                    }

                    if (failing)
                    {
                        failing = false;
                        LogRecovered(keys.Version);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (!failing)
                    {
                        failing = true;
                        LogFailing(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored app keys cannot be read; the last copy stays in use until they can")]
    private partial void LogFailing(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored app keys read again (registry version {Version})")]
    private partial void LogRecovered(long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last-used times of app keys could not be written at stop")]
    private partial void LogFlushFailed(Exception exception);
}
