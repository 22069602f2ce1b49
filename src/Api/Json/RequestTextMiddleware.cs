namespace ProductEvents.Api.Json;

/// <summary>
/// Refuses, before any endpoint runs, a path or query that decodes to text nothing can store (NUL, an unpaired
/// surrogate): ids taken from them reach grain keys, PostgreSQL parameters and stored rows.
/// </summary>
public sealed class RequestTextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (Problem(context.Request) is { } problem)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static ValidationProblem? Problem(HttpRequest request)
    {
        if (request.Path.Value is { } path && JsonInput.TextProblem(path) is { } pathReason)
        {
            return Problems.Invalid("path", pathReason);
        }

        foreach (var (name, values) in request.Query)
        {
            if (JsonInput.TextProblem(name) is { } nameReason)
            {
                return Problems.Invalid("query", $"has a parameter name that {nameReason}");
            }

            foreach (var value in values)
            {
                if (value is not null && JsonInput.TextProblem(value) is { } valueReason)
                {
                    return Problems.Invalid(name, valueReason);
                }
            }
        }

        return null;
    }
}
