namespace ProductEvents.Api.Telemetry;

/// <summary>What ingest did with one event, the <c>outcome</c> tag of <c>productevents.ingest.events</c>.</summary>
public enum IngestOutcome
{
    /// <summary>Committed to the log.</summary>
    Accepted,

    /// <summary>Its event_id was in the log already: acknowledged, not stored again.</summary>
    Duplicate,

    /// <summary>Refused with a 400 naming the field: by validation, or by the log for a value it cannot store.</summary>
    Rejected,

    /// <summary>Answered 429: the ingest queue was full.</summary>
    RefusedOverload,

    /// <summary>Answered 503: the log could not commit.</summary>
    RefusedOutage,

    /// <summary>Answered 429: over the app's quota (ProductEvents:Quotas).</summary>
    RefusedQuota,
}
