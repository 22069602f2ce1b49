using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Automations;

/// <summary>
/// Sends the outbox's due webhooks, apart from ingest: a slow or failing receiver only delays its own deliveries.
/// At most <see cref="DeliveryOptions.Concurrency"/> requests are in flight; a failure is retried with exponential
/// backoff and full jitter, and dead-lettered after <see cref="DeliveryOptions.MaxAttempts"/> attempts.
/// </summary>
public sealed class DeliveryWorker(
    IDeliveryOutbox outbox,
    IHttpClientFactory clients,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    public const string ClientName = "webhooks";
    public const string DeliveryHeader = "X-ProductEvents-Delivery";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Delivery> due = [];
            try
            {
                var now = clock.GetUtcNow();
                due = await outbox.ClaimDueAsync(now, now + o.Timeout + o.Timeout, o.Concurrency, stoppingToken);
                await Task.WhenAll(due.Select(d => SendAsync(d, o, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The outbox could not be read or updated; trying again");
            }

            if (due.Count < o.Concurrency)
            {
                // Real time on purpose: this is only how often to look, the due times themselves come from the clock.
                await Task.Delay(o.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendAsync(Delivery delivery, DeliveryOptions o, CancellationToken stoppingToken)
    {
        string? error;
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
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"timed out after {o.Timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
        }

        var now = clock.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        if (error is null)
        {
            await outbox.RecordAttemptAsync(delivery.Id, DeliveryStatus.Delivered, attempts, now, null, now, CancellationToken.None);
            return;
        }

        var dead = attempts >= o.MaxAttempts;
        var next = now + DeliveryBackoff.Next(attempts, o.BaseDelay, o.MaxDelay, Random.Shared.NextDouble());
        await outbox.RecordAttemptAsync(delivery.Id, dead ? DeliveryStatus.Dead : DeliveryStatus.Failed, attempts, next, error, now, CancellationToken.None);
        if (dead)
        {
            logger.LogWarning("Delivery {Delivery} to {Url} is dead after {Attempts} attempts: {Error}", delivery.Id, delivery.Url, attempts, error);
        }
    }
}
