namespace ProductEvents.Abstractions;

/// <summary>The 16 product event types; the numeric values are the public ids of the REST API.</summary>
public enum ProductEventType
{
    AddToCart = 1,
    Purchase = 2,
    Liking = 3,
    AddToObservation = 4,
    Order = 5,
    Reservation = 6,
    Return = 7,
    View = 8,
    Click = 9,
    Detail = 10,
    Add = 11,
    Remove = 12,
    Checkout = 13,
    CheckoutOption = 14,
    Refund = 15,
    PromoClick = 16,
}
