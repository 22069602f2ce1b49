using ProductEvents.Storage.EventLog;

using System.Diagnostics;

namespace ProductEvents.Grains.Ingest;

/// <summary>One commit's new entries on their way to the grains; <see cref="Applied"/> completes once they are there.</summary>
internal sealed class CommittedWork(ProductEventRecord[] events, NewKeys newKeys, TaskCompletionSource applied, bool readBack = false)
{
    public ProductEventRecord[] Events { get; } = events;

    /// <summary>The products and contacts whose first log entries are in this commit.</summary>
    public NewKeys NewKeys { get; } = newKeys;

    /// <summary>
    /// A commit of this batch may be in the log without the writer knowing its entries: once this work's events are
    /// applied, the entries after the applied position are read from the log and applied, before any later commit.
    /// </summary>
    public bool ReadBack { get; } = readBack;

    /// <summary>Completed once the events are applied; reads of grains wait for it.</summary>
    public TaskCompletionSource Applied { get; } = applied;

    /// <summary>The commit's trace (made while its activity is current), which the apply step continues.</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

    /// <summary>The <see cref="Stopwatch.GetTimestamp"/> of the commit, for the apply lag.</summary>
    public long CommittedAt { get; } = Stopwatch.GetTimestamp();
}
