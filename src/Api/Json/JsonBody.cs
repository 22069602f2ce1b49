using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Api.Json;

/// <summary>
/// Reads a request body as JSON with a size limit: 413 past the limit, 400 when it is not JSON or cannot be read
/// (broken framing, a client that gave up mid-body: its error, not the server's, so not logged as one), and 400 naming
/// the value when it breaks a rule of <see cref="JsonInput"/>.
/// </summary>
public static class JsonBody
{
    public const string ContentType = "application/json";

    /// <summary>
    /// Declared next to <see cref="ContentType"/> where a body schema is documented: the body is read as JSON whatever
    /// its Content-Type, and routing would answer 415 to a type the endpoint does not declare.
    /// </summary>
    public const string AnyContentType = "*/*";

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <param name="checkValues">
    /// False where the caller checks the values itself (events: each item of a batch is refused on its own).
    /// </param>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellationToken, bool checkValues = true)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, (int?)request.ContentLength + 1 ?? 4096));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (null, TooLarge(maxBytes));
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                }
                catch (Exception ex) when (ex is BadHttpRequestException or IOException || request.HttpContext.RequestAborted.IsCancellationRequested)
                {
                    // Kestrel's reason (broken framing, a body that ended early or came too slowly) or a client that left:
                    // the client's error, not logged as the server's. Kestrel's chunk parser reports a chunk size too large
                    // for an int ("FFFFFFFFFFFFFFFFFF") as a plain IOException, not a BadHttpRequestException.
                    request.HttpContext.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(JsonBody))
                        .LogDebug(ex, "Request body not readable: {Reason}", ex.Message);
                    var status = (ex as BadHttpRequestException)?.StatusCode ?? StatusCodes.Status400BadRequest;
                    return (null, status == StatusCodes.Status400BadRequest
                        ? Problems.Invalid("body", $"could not be read: {ex.Message}")
                        : Problems.Status(status, "The request body could not be read", ex.Message));
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }
            }

            if (length == 0)
            {
                return (null, Problems.Invalid("body", "is empty; send a JSON object"));
            }

            try
            {
                // Parsed from a stream, the document copies the body into pooled memory it returns when disposed, so this
                // buffer can go back now and a large batch leaves no large array to collect. A UTF-8 byte-order mark is skipped.
                var start = buffer.AsSpan(0, length).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
                using var body = new MemoryStream(buffer, start, length - start, writable: false);
                var document = JsonDocument.Parse(body);
                if (checkValues && JsonInput.FindProblem(document.RootElement, "", JsonInput.MaxBodyDepth) is { } problem)
                {
                    document.Dispose();
                    return (null, Problems.Invalid(problem.Path, problem.Reason));
                }

                return (document, null);
            }
            catch (JsonException ex)
            {
                return (null, Problems.Invalid("body", $"is not valid JSON: {ex.Message}"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(int maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body may be at most {maxBytes} bytes.");
}
