namespace ProductEvents.Abstractions;

public enum AttributeKind : byte
{
    Null = 0,
    String = 1,
    Number = 2,
    Boolean = 3,
}
