using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Storage.EventLog;

/// <summary>How accepted events are grouped into log commits. Bound from <c>ProductEvents:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "ProductEvents:Ingest";

    /// <summary>Events waiting for a commit; beyond this, requests get 429 with Retry-After.</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>
    /// The share of <see cref="QueueCapacity"/> one app may fill: a flood of one app is refused (429) while the others
    /// still find room. The queue is drained a request per app in turn, so one app's backlog does not delay another's.
    /// </summary>
    [Range(0.01, 1.0)]
    public double AppQueueShare { get; set; } = 0.5;

    /// <summary>
    /// Whether each app's analytics index is kept (fed by the writer after each apply step, loaded from the log when it
    /// activates) and the analytics endpoints answer. Off, they answer 404 and no index takes memory.
    /// </summary>
    public bool Analytics { get; set; } = true;

    /// <summary>The most events one commit takes (a batch request is never split, so one commit may hold more).</summary>
    [Range(1, 100_000)]
    public int MaxBatchEvents { get; set; } = 2_000;

    /// <summary>
    /// Calls to the log's writer one process has out at once. The writer commits one batch at a time; with more than
    /// one call out, the next batch is already waiting there while a commit runs, instead of gathering in this process
    /// until the commit's answer has travelled back.
    /// </summary>
    [Range(1, 64)]
    public int SendsInFlight { get; set; } = 4;

    /// <summary>
    /// How long a commit waits for more events to join it once the first has arrived. Zero (the default) commits at
    /// once whatever has gathered while the previous commit ran: under load batches fill by themselves, and a quiet
    /// moment costs no added latency.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Committed events not yet applied to their grains; beyond this, commits wait for the grains.</summary>
    [Range(1, 10_000_000)]
    public int MaxUnappliedEvents { get; set; } = 20_000;

    /// <summary>
    /// The most committed events applied to grains in one step when commits have gathered while the grains were busy
    /// (a commit is never split). Larger steps make fewer calls; a step waits for its slowest grain.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxApplyEvents { get; set; } = 5_000;

    /// <summary>
    /// How long a read of a product, a contact or its segments waits for the grains to hold every entry committed before
    /// it (read-your-writes); past it, the read is answered 503 with Retry-After (grains are catching up, or a silo died
    /// and the cluster is replacing it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxReadWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The Retry-After of a 429 or 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
