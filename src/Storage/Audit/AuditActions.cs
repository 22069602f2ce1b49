namespace ProductEvents.Storage.Audit;

/// <summary>The actions the audit log records, as stored in <c>audit_log.action</c> and filtered by <c>?action=</c>.</summary>
public static class AuditActions
{
    public const string AppCreate = "app.create";
    public const string AppUpdate = "app.update";
    public const string KeyAdd = "key.add";
    public const string KeyRotate = "key.rotate";
    public const string KeyRevoke = "key.revoke";
    public const string SegmentCreate = "segment.create";
    public const string SegmentUpdate = "segment.update";
    public const string SegmentDelete = "segment.delete";
    public const string AutomationCreate = "automation.create";
    public const string AutomationUpdate = "automation.update";
    public const string AutomationDelete = "automation.delete";
    public const string CampaignCreate = "campaign.create";
    public const string CampaignCancel = "campaign.cancel";

    /// <summary>A contact's data erased: subject is the lowercase hex SHA-256 of "{app}/{user_id}", not the erased id itself.</summary>
    public const string ContactErase = "contact.erase";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        AppCreate, AppUpdate, KeyAdd, KeyRotate, KeyRevoke, SegmentCreate, SegmentUpdate, SegmentDelete,
        AutomationCreate, AutomationUpdate, AutomationDelete, CampaignCreate, CampaignCancel, ContactErase,
    };
}
