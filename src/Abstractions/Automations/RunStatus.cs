namespace ProductEvents.Abstractions.Automations;

public enum RunStatus
{
    /// <summary>Not started.</summary>
    None = 0,

    /// <summary>Waiting for its due time.</summary>
    Waiting = 1,

    /// <summary>Its <c>unless</c> held at fire time, or its automation was disabled or deleted: it never fires.</summary>
    Cancelled = 2,

    /// <summary>Its action is in the outbox.</summary>
    Fired = 3,

    /// <summary>The contact had reached the automation's frequency cap at fire time.</summary>
    Capped = 4,
}
