namespace ProductEvents.Storage.Numbers;

/// <summary>What an integer id names: a product (<c>p</c>), a contact by the shop's user id (<c>u</c>) or a visitor (<c>v</c>).</summary>
public readonly record struct NumberedKey(string Kind, string Key)
{
    public const string ProductKind = "p";
    public const string UserKind = "u";
    public const string VisitorKind = "v";

    public static NumberedKey Product(string productId) => new(ProductKind, productId);

    public static NumberedKey Contact(ContactRef contact) => new(contact.IsAnonymous ? VisitorKind : UserKind, contact.Value);

    public bool IsProduct => Kind == ProductKind;

    public bool IsContact => Kind is UserKind or VisitorKind;

    public ContactRef ToContact() => Kind switch
    {
        UserKind => ContactRef.User(Key),
        VisitorKind => ContactRef.Visitor(Key),
        _ => throw new InvalidOperationException($"Number of kind '{Kind}' is not a contact's."),
    };
}
