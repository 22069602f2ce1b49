using ProductEvents.Storage.Numbers;

namespace ProductEvents.Api.Endpoints;

public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder routes)
    {
        var contacts = routes.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAppKey(allowPublicKey: false);
        contacts.MapGet("/{user_id}", GetContactAsync).WithName("GetContact");
        contacts.MapGet("/{user_id}/product-events", (HttpContext http, IEventLog log, string user_id) =>
            EventListing.ListAsync(http, log, productId: null, userId: PathIds.Decode(http, 4, user_id))).WithName("ListProductEventsOfContact");
        return routes;
    }

    public static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> GetContactAsync(
        HttpContext http, IGrainFactory grains, IngestPipeline pipeline, IEntityNumbers numbers, string user_id)
    {
        var app = AppKeyFilter.Current(http);
        await pipeline.WhenAppliedAsync();
        user_id = PathIds.Decode(http, 4, user_id);
        var contact = await grains.GetKeyedGrain<IContactGrain>(GrainKeys.Contact(app.AppId, ContactRef.User(user_id))).GetAsync();
        if (contact is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Contact not found", $"No product event names contact '{user_id}' in this app.");
        }

        var id = await numbers.GetOrAssignAsync(app.AppId, [NumberedKey.Contact(ContactRef.User(user_id))], http.RequestAborted);
        return TypedResults.Ok(ContactResponse.From(contact, id[0]));
    }
}
