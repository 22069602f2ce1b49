using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace ProductEvents.Api.Operator;

/// <summary>
/// Guards the endpoints marked <see cref="OperatorOnly"/>: open in Development; elsewhere 404 while no operator key is
/// configured (the endpoints do not exist for anyone), 401 without the key, through with it.
/// </summary>
public sealed class OperatorKeyMiddleware(RequestDelegate next, IHostEnvironment environment, IOptions<OperatorOptions> options)
{
    /// <summary>Hashed so the comparison takes the same time whatever the length of the key presented.</summary>
    private readonly byte[]? _keyHash = options.Value.Key is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    private readonly bool _open = environment.IsDevelopment();

    public Task InvokeAsync(HttpContext context)
    {
        if (_open || context.GetEndpoint()?.Metadata.GetMetadata<OperatorOnly>() is null)
        {
            return next(context);
        }

        if (_keyHash is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (Presented(context.Request.Headers.Authorization) is { } presented
            && CryptographicOperations.FixedTimeEquals(_keyHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented))))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Status(StatusCodes.Status401Unauthorized, "Missing or wrong operator key",
            "Send 'Authorization: Token <key>' (or 'Bearer <key>') with ProductEvents:Operator:Key.").ExecuteAsync(context);
    }

    private static string? Presented(string? authorization)
    {
        var space = authorization?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space <= 0)
        {
            return null;
        }

        var scheme = authorization![..space];
        var key = authorization[(space + 1)..].Trim();
        return (scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) && key.Length > 0
            ? key
            : null;
    }
}
