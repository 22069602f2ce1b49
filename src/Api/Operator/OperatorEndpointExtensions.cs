namespace ProductEvents.Api.Operator;

public static class OperatorEndpointExtensions
{
    /// <summary>
    /// Outside Development the endpoints answer only a request with the operator key (404 when none is configured).
    /// Metadata rather than an endpoint filter: it also guards endpoints that are plain request delegates.
    /// </summary>
    public static TBuilder RequireOperatorKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OperatorOnly.Instance);
}
