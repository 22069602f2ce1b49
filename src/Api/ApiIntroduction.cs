namespace ProductEvents.Api;

/// <summary>The introduction at the top of the reference page (<c>/docs</c>) and of <c>/openapi/v1.json</c>.</summary>
internal static class ApiIntroduction
{
    public const string Title = "ProductEvents API";

    public const string Markdown = """
        ProductEvents records **product events**: one interaction between a contact and a product (a view, a click, an
        add to cart, a purchase, a refund: 16 types, each with a name and a numeric id, see `GET /api/v1/event-types`).
        Every product keeps its latest attribute values, every contact its product interactions; segments and
        automations follow them as events arrive.

        **Authentication.** Send an app's key in the `Authorization` header: `Token <key>` (or `Bearer <key>`). A
        secret key may do everything in its app; a public key (for shop pages) may only send events and identify
        visitors. In Development the app `demo` has the keys `dev-secret` and `dev-public`. The `Admin` endpoints
        (`/api/admin`: stored apps, their keys, the audit log) take the operator key instead.

        **A first event.**

        ```
        curl -X POST http://127.0.0.1:5000/api/v1/product-events -H 'Authorization: Token dev-secret' \
          -H 'Content-Type: application/json' \
          -d '{"product_id": "sku-1", "user_id": "contact-42", "event_type": "add to cart", "price": 19.9}'
        ```

        It answers `202` with the event's id once the event is durable; reads such as
        `GET /api/v1/products/sku-1` and `GET /api/v1/contacts/contact-42` then show it.

        **Errors** are `application/problem+json` naming the field and the reason. `429` and `503` carry
        `Retry-After`: send the same request again (with an `event_id`, a retry is never counted twice).

        **Clients written for User.com** can point at `/api/public/`. In Development a demo shop runs at `/demo/`.
        """;
}
