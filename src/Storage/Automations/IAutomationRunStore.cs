using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Storage.Automations;

/// <summary>
/// The runs of automations, and the durable timer of their waits: a table in durable mode (a run waiting when the
/// silo is killed is still there, due at the same time), a dictionary in the embedded default. Run schedulers claim
/// due runs with a lease, so two silos never fire the same run at once.
/// </summary>
public interface IAutomationRunStore
{
    /// <summary>Records new waiting runs; a run id recorded before is left as it is (a trigger seen twice starts one run).</summary>
    Task StartAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waiting runs due at <paramref name="now"/> that no scheduler holds, earliest due first, held until
    /// <paramref name="leaseUntil"/>: a scheduler that dies holding them lets another take them after that.
    /// </summary>
    Task<IReadOnlyList<RunRecord>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>Records how claimed runs ended (status, reason, time); a run that is no longer waiting keeps its first ending.</summary>
    Task CompleteAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default);

    /// <summary>The automation's runs, latest due first, optionally of one status.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>The contact's runs of every automation, latest due first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RunRecord>> ListOfContactAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the contacts' runs (an erasure): a waiting one never fires. A run a scheduler already claimed may still
    /// fire; its delivery is then erased with the contact's others. Answers how many were waiting and how many in all.
    /// </summary>
    Task<(int Waiting, int All)> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, CancellationToken cancellationToken = default);
}
