using System.Globalization;
using ProductEvents.Storage.Numbers;

namespace ProductEvents.Api.UserCom;

/// <summary>The routes of the User.com-compatible layer as its 404s name them, and its integer ids in paths.</summary>
public static class UserComRoutes
{
    public static IReadOnlyList<string> Supported { get; } =
    [
        "POST /api/public/products/{id}/product_event/",
        "POST /api/public/products-by-id/{custom_id}/product_event/",
        "GET /api/public/products/{id}/",
        "GET /api/public/products-by-id/{custom_id}/details/",
        "GET /api/public/products/{id}/product_events/",
        "GET /api/public/products-by-id/{custom_id}/product_events/",
        "GET /api/public/users/{id}/product_events/",
        "GET /api/public/users-by-id/{custom_id}/product_events/",
    ];

    private static readonly Dictionary<string, object?> RoutesExtension = new(StringComparer.Ordinal) { ["routes"] = Supported };

    /// <summary>404 for a path under /api/public/ that is not one of the routes, naming them.</summary>
    public static ProblemHttpResult NotFound() => TypedResults.Problem(
        "This path is not a route of the User.com-compatible layer. It serves User.com's product-event routes: "
        + string.Join("; ", Supported) + ". {id} is an integer id; {custom_id} is the shop's own id. See docs/usercom.md.",
        statusCode: StatusCodes.Status404NotFound,
        title: "No such User.com-compatible route",
        extensions: RoutesExtension);

    public static ProblemHttpResult ProductNotFound(string id) => TypedResults.Problem(
        $"No product of this app has the integer id '{id}'. This route takes the 'id' of a product's details; to name a "
        + "product by the shop's id, use /api/public/products-by-id/{custom_id}/... instead.",
        statusCode: StatusCodes.Status404NotFound,
        title: "Product not found");

    public static ProblemHttpResult UserNotFound(string id) => TypedResults.Problem(
        $"No contact of this app has the integer id '{id}'. This route takes the 'user' of a contact's events in the "
        + "listings; to name a contact by the shop's id, use /api/public/users-by-id/{custom_id}/product_events/ instead.",
        statusCode: StatusCodes.Status404NotFound,
        title: "User not found");

    /// <summary>The key of kind <paramref name="kind"/> that the integer id in a path names; null when it names none.</summary>
    public static async Task<string?> FindAsync(IEntityNumbers numbers, string appId, string id, string kind, CancellationToken cancellationToken) =>
        TryParse(id, out var number) && await numbers.FindAsync(appId, number, cancellationToken) is { } key && key.Kind == kind
            ? key.Key
            : null;

    /// <summary>The contact (by user id or visitor key) that the integer id in a path names; null when it names none.</summary>
    public static async Task<ContactRef?> FindContactAsync(IEntityNumbers numbers, string appId, string id, CancellationToken cancellationToken) =>
        TryParse(id, out var number) && await numbers.FindAsync(appId, number, cancellationToken) is { IsContact: true } key
            ? key.ToContact()
            : null;

    private static bool TryParse(string id, out long number) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
}
