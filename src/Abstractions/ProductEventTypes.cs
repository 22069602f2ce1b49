namespace ProductEvents.Abstractions;

/// <summary>Names of the event types and the parsing rules shared by every entry point.</summary>
public static class ProductEventTypes
{
    public const int MinId = 1;
    public const int MaxId = 16;

    private static readonly string[] Names =
    [
        "", "add to cart", "purchase", "liking", "add to observation", "order", "reservation", "return",
        "view", "click", "detail", "add", "remove", "checkout", "checkout option", "refund", "promo click",
    ];

    private static readonly Dictionary<string, ProductEventType> ByName = BuildNameIndex();

    public static IReadOnlyList<ProductEventType> All { get; } =
        Enumerable.Range(MinId, MaxId).Select(id => (ProductEventType)id).ToArray();

    /// <summary>"add to cart, purchase, ... (or their ids 1-16)": the text of a 400 that lists what is allowed.</summary>
    public static string AllowedValuesText { get; } =
        string.Join(", ", All.Select(t => $"{(int)t} ({Name(t)})"));

    public static string Name(ProductEventType type) => Names[(int)type];

    public static bool IsDefined(int id) => id is >= MinId and <= MaxId;

    /// <summary>
    /// Accepts a name in any case with spaces, underscores or hyphens ("add to cart", "ADD_TO_CART", "add-to-cart") or a
    /// numeric id ("1").
    /// </summary>
    public static bool TryParse(string? text, out ProductEventType type)
    {
        type = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return TryFromId(id, out type);
        }

        return ByName.TryGetValue(trimmed.Replace('_', ' ').Replace('-', ' '), out type);
    }

    public static bool TryFromId(long id, out ProductEventType type)
    {
        type = (ProductEventType)id;
        return id is >= MinId and <= MaxId;
    }

    private static Dictionary<string, ProductEventType> BuildNameIndex()
    {
        var index = new Dictionary<string, ProductEventType>(StringComparer.OrdinalIgnoreCase);
        for (var id = MinId; id <= MaxId; id++)
        {
            index[Names[id]] = (ProductEventType)id;
        }

        return index;
    }
}
