namespace ProductEvents.Storage.Audit;

/// <summary>How the audit log names who made a change (<c>audit_log.actor</c>).</summary>
public static class AuditActors
{
    /// <summary>The admin API: whoever holds the operator key (one key, so one name).</summary>
    public const string Operator = "operator";

    /// <summary>The <c>apps</c> command, run by <paramref name="user"/> (the operating system's user name).</summary>
    public static string Cli(string user) => $"cli:{user}";

    /// <summary>An app key by its name; the keys of configuration are <c>config-key:secret</c> and <c>config-key:public</c>.</summary>
    public static string AppKey(string keyName) => $"key:{keyName}";
}
