using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Silo.Telemetry;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Silo.Deliveries;

/// <summary>
/// Sends the outbox's due webhooks, apart from ingest: a slow or failing receiver only holds its own requests. Up to
/// <see cref="DeliveryOptions.Concurrency"/> requests are in flight; the worker claims more as soon as half of them
/// finished or new deliveries were enqueued (<see cref="DeliverySignal"/>), and polls otherwise. One app has at most
/// <see cref="DeliveryOptions.ConcurrencyPerApp"/> requests in flight, so one app's slow receiver never holds the others'. A failure is retried
/// with exponential backoff and full jitter, and dead-lettered after <see cref="DeliveryOptions.MaxAttempts"/> attempts.
/// A URL whose address the policy refuses (<see cref="WebhookConnector"/>) is dead-lettered at once: nothing was sent,
/// and no retry would send it. Redirects are not followed; at most <see cref="DeliveryLimits.MaxResponseBodyBytes"/> of
/// an answer are read.
/// </summary>
public sealed class DeliveryWorker(
    IDeliveryOutbox outbox,
    DeliverySignal signal,
    IHttpClientFactory clients,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string ClientName = "webhooks";
    public const string DeliveryHeader = "X-ProductEvents-Delivery";

    private readonly ConcurrentDictionary<string, int> _inFlightByApp = new(StringComparer.Ordinal);
    private int _inFlight;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = o.Concurrency - Volatile.Read(ref _inFlight);
            var claimed = 0;
            if (free > 0)
            {
                try
                {
                    var now = clock.GetUtcNow();
                    var busy = _inFlightByApp.Where(app => app.Value >= o.ConcurrencyPerApp).Select(app => app.Key).ToList();
                    var due = await outbox.ClaimDueAsync(now, now + o.Timeout + o.Timeout, free, o.ConcurrencyPerApp, busy, stoppingToken);
                    claimed = due.Count;
                    foreach (var delivery in due)
                    {
                        Interlocked.Increment(ref _inFlight);
                        _inFlightByApp.AddOrUpdate(delivery.AppId, 1, (_, n) => n + 1);
                        _ = SendAsync(delivery, o, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "The outbox could not be read; trying again");
                }
            }

            if (free == 0 || claimed < free)
            {
                // Real time on purpose: this is only how often to look, the due times themselves come from the clock.
                await signal.WaitAsync(o.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendAsync(Delivery delivery, DeliveryOptions o, CancellationToken stoppingToken)
    {
        try
        {
            var (error, refused) = await PostAsync(delivery, o, stoppingToken);
            var now = clock.GetUtcNow();
            var attempts = delivery.Attempts + 1;
            var dead = error is not null && (refused || attempts >= o.MaxAttempts);
            var attempt = error is null
                ? new DeliveryAttempt(delivery.Id, DeliveryStatus.Delivered, attempts, now, null, now)
                : new DeliveryAttempt(delivery.Id, dead ? DeliveryStatus.Dead : DeliveryStatus.Failed, attempts,
                    now + DeliveryBackoff.Next(attempts, o.BaseDelay, o.MaxDelay, Random.Shared.NextDouble()), error, now);
            await outbox.RecordAttemptsAsync([attempt], CancellationToken.None);
            DeliveryMetrics.Attempted(delivery.AppId, attempt.Status);
            if (dead)
            {
                logger.LogWarning("Delivery {Delivery} to {Url} is dead after {Attempts} attempts: {Error}", delivery.Id, delivery.Url, attempts, error);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lease ends and the delivery is sent again by the next worker.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The outcome of delivery {Delivery} could not be recorded; it is sent again when its lease ends", delivery.Id);
        }
        finally
        {
            var appInFlight = _inFlightByApp.AddOrUpdate(delivery.AppId, 0, (_, n) => n - 1);
            if (Interlocked.Decrement(ref _inFlight) == o.Concurrency / 2 || appInFlight == o.ConcurrencyPerApp - 1)
            {
                signal.Pulse();
            }
        }
    }

    /// <summary>Sends once; answers the error (null when the receiver answered 2xx) and whether the address was refused.</summary>
    private async Task<(string? Error, bool Refused)> PostAsync(Delivery delivery, DeliveryOptions o, CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(o.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("X-ProductEvents-Signature", delivery.Signature);
            request.Headers.TryAddWithoutValidation(DeliveryHeader, delivery.Id);
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await DrainAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (null, false)
                : status is >= 300 and < 400 ? ($"HTTP {status} {response.ReasonPhrase}: redirects are not followed, define the webhook with the URL it redirects to", false)
                : ($"HTTP {status} {response.ReasonPhrase}", false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return ($"timed out after {o.Timeout.TotalSeconds:0.#} s", false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookAddressRefusedException refused)
        {
            return (refused.Message, true);
        }
        catch (HttpRequestException ex)
        {
            return (ex.Message, false);
        }
    }

    /// <summary>
    /// Reads the answer's body up to <see cref="DeliveryLimits.MaxResponseBodyBytes"/> so the connection can be reused;
    /// past that it stops and the connection is closed. The status alone decides the outcome, so a body that fails or
    /// stalls after it changes nothing.
    /// </summary>
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8 * 1024);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var total = 0;
            int read;
            while (total <= DeliveryLimits.MaxResponseBodyBytes && (read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
