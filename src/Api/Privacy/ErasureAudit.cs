using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ProductEvents.Storage.Erasure;

namespace ProductEvents.Api.Privacy;

/// <summary>
/// The one place an erasure request is written down for audit, as action <c>contact.erase</c>: a structured log entry
/// naming the app, the key kind that asked and a SHA-256 of the app and user id (the id itself is what was erased; whoever
/// knows it can find its entry). The erasure endpoint also writes it to the audit log (<c>IAuditLog</c>) with that subject.
/// </summary>
public static partial class ErasureAudit
{
    public const string Action = "contact.erase";

    public static void Requested(ILogger logger, AppAccess access, ContactErasure erasure) =>
        LogRequested(logger, Action, access.AppId, access.IsSecret ? "secret" : "public", Subject(erasure.AppId, erasure.UserId), erasure.RequestedAt);

    /// <summary>Lowercase hex SHA-256 of "{app}/{user_id}".</summary>
    public static string Subject(string appId, string userId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{appId}/{userId}")));

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Action}: app {App}, {KeyKind} key, subject {Subject}, requested at {RequestedAt:o}")]
    private static partial void LogRequested(ILogger logger, string action, string app, string keyKind, string subject, DateTimeOffset requestedAt);
}
