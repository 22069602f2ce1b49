namespace ProductEvents.Grains.Segments;

/// <summary>
/// Applies <see cref="ProductFilter"/>s to a product's current data. A product without a snapshot has no name and no
/// attributes, but its id is known from the interaction.
/// </summary>
internal static class ProductFilterMatcher
{
    public static bool PassesAll(IReadOnlyList<ProductFilter> filters, string productId, ProductSnapshot? product)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            if (!Passes(filter, productId, product))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the filter reads the product's snapshot (the id alone is known without it).</summary>
    public static bool NeedsSnapshot(ProductFilter filter) =>
        !string.Equals(filter.Field, ProductFilter.ProductIdField, StringComparison.Ordinal);

    public static bool Passes(ProductFilter filter, string productId, ProductSnapshot? product)
    {
        var value = Lookup(filter.Field, productId, product);
        if (filter.Operator == FilterOperator.Exists)
        {
            return (value is not null) == (filter.Values.Count > 0 && filter.Values[0].AsBoolean() == true);
        }

        if (value is not { } present)
        {
            return filter.Operator == FilterOperator.Ne;
        }

        if (filter.Values.Count == 0)
        {
            return false;
        }

        var operand = filter.Values[0];
        return filter.Operator switch
        {
            FilterOperator.Eq => AreEqual(present, operand),
            FilterOperator.Ne => !AreEqual(present, operand),
            FilterOperator.In => filter.Values.Any(v => AreEqual(present, v)),
            FilterOperator.Lt => Compare(present, operand) is < 0,
            FilterOperator.Lte => Compare(present, operand) is <= 0,
            FilterOperator.Gt => Compare(present, operand) is > 0,
            FilterOperator.Gte => Compare(present, operand) is >= 0,
            FilterOperator.Contains => present.Kind == AttributeKind.String
                && operand.Kind == AttributeKind.String
                && present.Text!.Contains(operand.Text!, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>The value a filter looks at; null when absent. An attribute holding null counts as absent.</summary>
    private static AttributeValue? Lookup(string field, string productId, ProductSnapshot? product) => field switch
    {
        ProductFilter.ProductIdField => AttributeValue.FromString(productId),
        ProductFilter.NameField => product?.Name is { } name ? AttributeValue.FromString(name) : null,
        _ => product is not null && product.Attributes.TryGetValue(field, out var value) && value.Kind != AttributeKind.Null
            ? value
            : null,
    };

    private static bool AreEqual(AttributeValue left, AttributeValue right)
    {
        if (left.Kind != right.Kind)
        {
            return false;
        }

        return left.Kind switch
        {
            AttributeKind.Number when left.AsNumber() is { } l && right.AsNumber() is { } r => l == r,
            AttributeKind.Boolean => left.AsBoolean() == right.AsBoolean(),
            _ => string.Equals(left.Text, right.Text, StringComparison.Ordinal),
        };
    }

    /// <summary>Numbers numerically, strings ordinally; null for kinds that do not order against each other.</summary>
    private static int? Compare(AttributeValue left, AttributeValue right) => (left.Kind, right.Kind) switch
    {
        (AttributeKind.Number, AttributeKind.Number) when left.AsNumber() is { } l && right.AsNumber() is { } r => l.CompareTo(r),
        (AttributeKind.String, AttributeKind.String) => string.CompareOrdinal(left.Text, right.Text),
        _ => null,
    };
}
