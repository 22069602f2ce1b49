namespace ProductEvents.Api.Operator;

/// <summary>Endpoint metadata: the endpoint is for operators (<see cref="OperatorKeyMiddleware"/>).</summary>
public sealed class OperatorOnly
{
    public static readonly OperatorOnly Instance = new();

    private OperatorOnly()
    {
    }
}
