namespace ProductEvents.Grains.Segments;

/// <summary>
/// A test on a product's current data. <see cref="Field"/> is an attribute name, or <c>name</c> (the product's name) or
/// <c>product_id</c>. <see cref="Values"/> holds one value for eq, ne, lt, lte, gt, gte and contains, the list for in, and
/// one Boolean for exists.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.seg.ProductFilter")]
public sealed record ProductFilter(
    [property: Id(0)] string Field,
    [property: Id(1)] FilterOperator Operator,
    [property: Id(2)] IReadOnlyList<AttributeValue> Values)
{
    /// <summary>The special field for the product's name.</summary>
    public const string NameField = "name";

    /// <summary>The special field for the product's id.</summary>
    public const string ProductIdField = "product_id";

    public bool Equals(ProductFilter? other) =>
        other is not null
        && string.Equals(Field, other.Field, StringComparison.Ordinal)
        && Operator == other.Operator
        && Structural.ListEquals(Values, other.Values);

    public override int GetHashCode() => HashCode.Combine(Field, Operator, Structural.ListHash(Values));
}
