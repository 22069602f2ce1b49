using System.ComponentModel.DataAnnotations;

namespace ProductEvents.Storage.Erasure;

/// <summary>Bound from <c>ProductEvents:Erasure</c>: how erasures are run and answered.</summary>
public sealed class ErasureOptions
{
    public const string Section = "ProductEvents:Erasure";

    /// <summary>How long <c>DELETE /api/v1/contacts/{user_id}</c> waits for the erasure to be done before it answers 202.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RequestWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each silo looks for erasures to resume (a request wakes the silo that took it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a silo holds an erasure it runs: one that dies holding it lets another resume it after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Erasures one silo runs at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>How long the record of a done erasure (which names the user id) is kept for its status, then deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan KeepRecordFor { get; set; } = TimeSpan.FromDays(1);
}
