namespace ProductEvents.Grains.Segments;

/// <summary>How a <see cref="ProductFilter"/> compares a product's value with the filter's values.</summary>
public enum FilterOperator
{
    Eq = 0,
    Ne = 1,
    In = 2,
    Lt = 3,
    Lte = 4,
    Gt = 5,
    Gte = 6,
    Contains = 7,
    Exists = 8,
}
