namespace ProductEvents.Abstractions.Segments;

/// <summary>A contact as one sortable text key in membership tables: "u/{user_id}" or "k/{user_key}".</summary>
public static class ContactKeys
{
    public static string Of(ContactRef contact) => (contact.IsAnonymous ? "k/" : "u/") + contact.Value;

    public static ContactRef Parse(string key) => key[0] == 'k' ? ContactRef.Visitor(key[2..]) : ContactRef.User(key[2..]);
}
