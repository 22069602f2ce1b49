namespace ProductEvents.Storage.Erasure;

/// <summary>
/// The steps of a contact's erasure, in the order they run; an erasure records the next one after each, so a crash
/// resumes where it was. Every step can run twice without harm.
/// </summary>
public enum ErasureStep
{
    /// <summary>The contact's entries and its visitors' leave the log, with their idempotency claims and the visitor merges.</summary>
    Log,

    /// <summary>The contact's and its visitors' grains drop their state, snapshot and window check.</summary>
    Grains,

    /// <summary>It leaves its segments: a leave is recorded per segment, its earlier joins and leaves are deleted.</summary>
    Segments,

    /// <summary>Its runs are deleted (a waiting one is thereby cancelled) and its frequency caps cleared.</summary>
    Automations,

    /// <summary>Its webhooks leave the outbox, sent or not.</summary>
    Deliveries,

    /// <summary>Its integer ids are forgotten.</summary>
    Numbers,

    /// <summary>Memberships and deliveries written by work that was under way when the erasure started are erased again.</summary>
    Sweep,

    Done,
}
