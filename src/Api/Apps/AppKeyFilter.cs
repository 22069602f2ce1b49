namespace ProductEvents.Api.Apps;

/// <summary>
/// Lets a request through only with a known key: 401 without one, 403 when a public key asks for more than ingest.
/// The resolved <see cref="AppAccess"/> is left in <see cref="HttpContext.Items"/> for the handler.
/// </summary>
public sealed class AppKeyFilter(AppKeyRegistry registry, bool allowPublicKey, bool allowKeyInQuery = false) : IEndpointFilter
{
    private static readonly object ItemKey = new();

    public static AppAccess Current(HttpContext context) =>
        (AppAccess?)context.Items[ItemKey] ?? throw new InvalidOperationException("The endpoint has no AppKeyFilter.");

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = registry.Resolve(http.Request.Headers.Authorization)
            ?? (allowKeyInQuery ? BeaconKey.Resolve(registry, http.Request) : null);
        if (access is null)
        {
            http.Response.Headers.WWWAuthenticate = "Token";
            return ValueTask.FromResult<object?>(Problems.Status(
                StatusCodes.Status401Unauthorized,
                "Missing or unknown API key",
                "Send 'Authorization: Token <key>' with the app's secret key (or its public key for ingest)."));
        }

        if (!access.IsSecret && !allowPublicKey)
        {
            return ValueTask.FromResult<object?>(Problems.Status(
                StatusCodes.Status403Forbidden,
                "Public key may only send product events",
                "A public key (the one a browser holds) can only send product events: POST /api/v1/product-events, "
                + "POST /api/v1/product-events/batch and the User.com-style POST /api/public/products/{id}/product_event/ "
                + "and /api/public/products-by-id/{custom_id}/product_event/. Everything else, such as reading products, "
                + "contacts or events, needs the app's secret key, which belongs on a server."));
        }

        http.Items[ItemKey] = access;
        return next(context);
    }
}
