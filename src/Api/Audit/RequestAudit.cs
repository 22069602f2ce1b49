using System.Text.Json.Nodes;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Api.Audit;

public static class RequestAudit
{
    /// <summary>
    /// Records a change made by the request's app key (behind <see cref="AppKeyFilter"/>): its app, and the key's name as
    /// the actor. Not cancelled with the request: the change is made, so its entry is written even if the client left.
    /// </summary>
    public static Task WriteAsync(this IAuditLog audit, HttpContext http, string action, string subject, JsonObject? details = null)
    {
        var access = AppKeyFilter.Current(http);
        return audit.WriteAsync(new AuditEntry(access.Actor, action, access.AppId, subject, details), CancellationToken.None);
    }
}
