namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The event log's one writer in the cluster (key <see cref="Key"/>): every process's front door sends it the requests
/// it has gathered; it commits them in group commits and applies the entries to their grains in log order. One writer
/// draws log positions in commit order, which grains rely on; it is fenced in the log's storage
/// (<see cref="IEventLog.TakeOverAsync"/>), so a second activation while the cluster's membership changes commits nothing.
/// Not part of the client package: only the cluster's own processes call it.
/// </summary>
[Alias("pe.ILogWriterGrain")]
public interface ILogWriterGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// Commits the requests' events (one array per request, each committed whole or refused whole) and answers per request,
    /// once its events are durable. Events are not changed by the writer; the caller must not change them once sent.
    /// </summary>
    [Alias("Commit")]
    Task<CommitAnswer[]> CommitAsync([Immutable] LogWriteRequest[] requests);

    /// <summary>Completes once every entry committed before the call has reached its product and contact grains.</summary>
    [Alias("WhenApplied")]
    Task WhenAppliedAsync();

    /// <summary>How many committed events have not reached their grains yet (for readiness).</summary>
    [Alias("Unapplied")]
    Task<int> UnappliedAsync();
}

/// <summary>One request's events, and its trace (a W3C traceparent) that the commit carrying them links to.</summary>
[GenerateSerializer, Immutable, Alias("pe.LogWriteRequest")]
public sealed record LogWriteRequest([property: Id(0)] ProductEventRecord[] Events, [property: Id(1)] string? TraceParent);

/// <summary>
/// What the writer did with one request: an outcome per event, in order; or why nothing of it was stored
/// (<see cref="Unavailable"/>: answered 503 with Retry-After; <see cref="Limited"/>: over its app's quota, answered 429;
/// the request may be sent again).
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.CommitAnswer")]
public sealed record CommitAnswer(
    [property: Id(0)] AppendOutcome[]? Outcomes, [property: Id(1)] string? Unavailable, [property: Id(2)] QuotaExceeded? Limited = null)
{
    public static CommitAnswer Of(AppendOutcome[] outcomes) => new(outcomes, null);

    public static CommitAnswer Failed(string reason) => new(null, reason);
}

/// <summary>
/// A request over its app's quota: the quota (<see cref="EventsPerSecond"/>, <see cref="Burst"/>), the events the app
/// may send now, and when the request's events will fit.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.QuotaExceeded")]
public sealed record QuotaExceeded(
    [property: Id(0)] double EventsPerSecond, [property: Id(1)] double Burst, [property: Id(2)] long Remaining, [property: Id(3)] TimeSpan RetryAfter);
