namespace ProductEvents.Api;

/// <summary>The problem+json answers of the API, so every error names its field or its reason the same way.</summary>
public static class Problems
{
    public const string InvalidTitle = "The request is not valid";

    public static ProblemHttpResult Status(int statusCode, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: statusCode, title: title);

    /// <summary>400 with <c>errors</c>: field name to the reasons it was refused.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: InvalidTitle);

    public static ValidationProblem Invalid(string field, string reason) =>
        Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    /// <summary>429 or 503 with <c>Retry-After</c>: the client should send the same request again later.</summary>
    public static ProblemHttpResult Retryable(HttpContext context, int statusCode, string title, string detail, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Status(statusCode, title, detail);
    }
}
