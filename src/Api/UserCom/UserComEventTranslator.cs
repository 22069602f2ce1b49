using System.Text.Json.Nodes;

namespace ProductEvents.Api.UserCom;

/// <summary>
/// Turns a User.com-style product event (<c>client | user_id | user_custom_id, event_type, timestamp, data{...}</c>, the
/// product id in the path) into the native flat shape, so the one <see cref="Ingest.ProductEventParser"/> validates it,
/// and turns the parser's field names back into the names the client sent. A contact given by User.com's integer id
/// (<c>client</c>, or <c>user_id</c> as a JSON number) is left for the caller to resolve.
/// </summary>
public static class UserComEventTranslator
{
    private static readonly HashSet<string> TopLevelFields = new(StringComparer.Ordinal)
    {
        "client", "user_id", "user_custom_id", "user_key", "event_type", "timestamp", "event_id", "data",
    };

    /// <summary>Native fields that <c>data</c> cannot hold as attributes (<c>name</c> and <c>custom_data</c> it can).</summary>
    private static readonly HashSet<string> ReservedDataKeys = new(StringComparer.Ordinal)
    {
        "product_id", "event_type", "user_id", "user_key", "timestamp", "event_id",
    };

    /// <param name="userNumber">User.com's integer user id when the body gives one, and the field that gave it.</param>
    public static JsonObject? Translate(
        JsonElement body, string customId, out (string Field, long Number)? userNumber, out Dictionary<string, string[]>? errors)
    {
        errors = null;
        userNumber = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors = new() { ["body"] = ["must be a JSON object"] };
            return null;
        }

        var native = new JsonObject { ["product_id"] = customId };
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!TopLevelFields.Contains(property.Name))
            {
                problems[property.Name] = ["is not a field of this endpoint; put product attributes in data"];
            }
        }

        // User.com's integer user id comes as client, or as user_id when that is a JSON number; a string user_id is the
        // older form of user_custom_id, the shop's own id.
        var hasClient = body.TryGetProperty("client", out var client) && client.ValueKind != JsonValueKind.Null;
        var hasUserId = body.TryGetProperty("user_id", out var userId) && userId.ValueKind != JsonValueKind.Null;
        var userIdIsNumber = hasUserId && userId.ValueKind == JsonValueKind.Number;
        var hasCustomId = body.TryGetProperty("user_custom_id", out var userCustomId) && userCustomId.ValueKind != JsonValueKind.Null;
        var clientNumber = hasClient ? ReadUserNumber(client, "client", problems) : null;
        var userIdNumber = userIdIsNumber ? ReadUserNumber(userId, "user_id", problems) : null;
        if (clientNumber is not null && userIdNumber is not null && clientNumber != userIdNumber)
        {
            problems["user_id"] = ["names another contact than client; give one of them"];
        }
        else if ((clientNumber ?? userIdNumber) is { } number)
        {
            userNumber = (clientNumber is not null ? "client" : "user_id", number);
        }

        var shopId = hasCustomId ? userCustomId : hasUserId && !userIdIsNumber ? userId : default;
        if (hasCustomId && hasUserId && !userIdIsNumber && userId.GetRawText() != userCustomId.GetRawText())
        {
            problems["user_custom_id"] = ["give user_id or user_custom_id, not two different ids"];
        }
        else if (shopId.ValueKind != JsonValueKind.Undefined)
        {
            native["user_id"] = JsonNode.Parse(shopId.GetRawText());
        }

        Copy(body, native, "user_key");
        Copy(body, native, "event_type");
        Copy(body, native, "timestamp");
        Copy(body, native, "event_id");
        if (body.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null)
        {
            if (data.ValueKind != JsonValueKind.Object)
            {
                problems["data"] = ["must be a JSON object of product attributes"];
            }
            else
            {
                foreach (var property in data.EnumerateObject())
                {
                    if (ReservedDataKeys.Contains(property.Name))
                    {
                        problems["data." + property.Name] = ["is a reserved name and cannot be a product attribute"];
                    }
                    else
                    {
                        native[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            errors = problems;
            return null;
        }

        return native;
    }

    private static long? ReadUserNumber(JsonElement value, string field, Dictionary<string, string[]> problems)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0)
        {
            return number;
        }

        problems[field] = [field == "client"
            ? "must be User.com's integer user id (a JSON number); send the shop's own id as user_custom_id"
            : "as a JSON number must be User.com's integer user id (a positive whole number); send the shop's own id as a string or as user_custom_id"];
        return null;
    }

    /// <summary>The parser's errors under the names of the User.com request.</summary>
    public static Dictionary<string, string[]> RenameErrors(IDictionary<string, string[]> errors, JsonElement body)
    {
        var userField = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("user_custom_id", out var custom)
            && custom.ValueKind != JsonValueKind.Null ? "user_custom_id"
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("client", out var client)
            && client.ValueKind != JsonValueKind.Null ? "client" : "user_id";
        var renamed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, reasons) in errors)
        {
            var name = field switch
            {
                "product_id" => "custom_id",
                "user_id" => userField,
                "user_key" or "event_type" or "timestamp" or "event_id" or "body" => field,
                "attributes" => "data",
                _ => "data." + field,
            };
            renamed[name] = [.. reasons.Select(r => r.Replace("unless user_key is given", "(client, user_id or user_custom_id) unless user_key is given", StringComparison.Ordinal))];
        }

        return renamed;
    }

    private static void Copy(JsonElement body, JsonObject native, string field)
    {
        if (body.TryGetProperty(field, out var value))
        {
            native[field] = JsonNode.Parse(value.GetRawText());
        }
    }
}
