using ProductEvents.Api.Json;

namespace ProductEvents.Api.Endpoints;

/// <summary>The ad-hoc searches: contacts by a segment condition, products by filters and text (docs/analytics.md).</summary>
public static partial class AnalyticsApi
{
    public static async Task<IResult> SearchContactsAsync(HttpContext http, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (limit, cursor, document, refused) = await ReadSearchAsync(http, errors);
        if (document is null)
        {
            return refused!;
        }

        string? condition = null;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("condition", out var element))
            {
                errors["condition"] = ["is required: a condition of the segment language ({\"all\"|\"any\"|\"not\"|\"event\": ...})"];
            }
            else
            {
                condition = element.GetRawText();
                foreach (var property in root.EnumerateObject().Where(p => p.Name != "condition"))
                {
                    errors[property.Name] = ["is not a search field (condition)"];
                }
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var answer = await Grain(http, grains).SearchContactsAsync(condition!, limit, cursor);
        if (answer.Errors.Count > 0)
        {
            return Invalid(answer.Errors);
        }

        return answer.Index.Loading ? Loading(http, answer.Index) : TypedResults.Ok(ContactSearchResponse.From(answer));
    }

    /// <summary>The longest text a product search takes (a product id's length).</summary>
    public const int MaxSearchText = IngestLimits.MaxProductIdLength;

    public static async Task<IResult> SearchProductsAsync(HttpContext http, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (limit, cursor, document, refused) = await ReadSearchAsync(http, errors);
        if (document is null)
        {
            return refused!;
        }

        string? filters = null;
        string? text = null;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                errors["body"] = ["must be a JSON object with product (filters) and text, both optional"];
            }
            else
            {
                foreach (var property in root.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "product":
                            filters = property.Value.GetRawText();
                            break;
                        case "text" when property.Value.ValueKind == System.Text.Json.JsonValueKind.String
                                         && property.Value.GetString()!.Length <= MaxSearchText:
                            text = property.Value.GetString();
                            break;
                        case "text":
                            errors["text"] = [$"must be a string of at most {MaxSearchText} characters"];
                            break;
                        default:
                            errors[property.Name] = ["is not a search field (product, text)"];
                            break;
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var answer = await Grain(http, grains).SearchProductsAsync(filters, text, limit, cursor);
        if (answer.Errors.Count > 0)
        {
            return Invalid(answer.Errors);
        }

        return answer.Index.Loading ? Loading(http, answer.Index) : TypedResults.Ok(ProductSearchResponse.From(answer));
    }

    /// <summary>A search's page (limit and cursor, from the query) and its JSON body; a refusal instead of a body that is not one.</summary>
    private static async Task<(int Limit, int Cursor, System.Text.Json.JsonDocument? Body, IResult? Refused)> ReadSearchAsync(
        HttpContext http, Dictionary<string, string[]> errors)
    {
        var q = http.Request.Query;
        var limit = ReadWhole(q, "limit", 1, MaxSearchLimit, DefaultSearchLimit, errors);
        var cursor = ReadWhole(q, "cursor", 0, int.MaxValue, 0, errors, "is not a cursor this API gave out; use the 'next' of the previous page");
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        return (limit, cursor, document, document is null ? error ?? Problems.Invalid("body", $"must be a JSON object of at most {MaxBodyBytes} bytes") : null);
    }
}
