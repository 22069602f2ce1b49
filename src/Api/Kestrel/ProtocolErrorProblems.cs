using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace ProductEvents.Api.Kestrel;

/// <summary>
/// Turns the bare answers Kestrel writes itself for requests it refuses before the API runs (a 4xx status line,
/// <c>Content-Length: 0</c>, <c>Connection: close</c>, no <c>Content-Type</c>) into the API's problem+json.
/// </summary>
public sealed class ProtocolErrorProblems(HttpLimitsOptions limits)
{
    private const int MaxHeadBytes = 1024;
    private static readonly byte[] StatusLinePrefix = "HTTP/1.1 4"u8.ToArray();
    private readonly ConcurrentDictionary<int, byte[]> _bodies = new();

    /// <summary>Whether a block starting so may be such an answer: worth holding back until it is whole.</summary>
    public static bool MayStart(ReadOnlySpan<byte> start) =>
        start.Length >= StatusLinePrefix.Length ? start.StartsWith(StatusLinePrefix) : StatusLinePrefix.AsSpan().StartsWith(start);

    public static int MaxHeadLength => MaxHeadBytes;

    /// <summary>The answer with a problem+json body, or null when <paramref name="head"/> is not a bare Kestrel answer.</summary>
    public byte[]? TryRewrite(ReadOnlySpan<byte> head)
    {
        if (head.Length > MaxHeadBytes || !head.StartsWith(StatusLinePrefix) || !head.EndsWith("\r\n\r\n"u8)
            || head[..^4].IndexOf("\r\n\r\n"u8) >= 0)
        {
            return null;
        }

        var lines = Encoding.ASCII.GetString(head[..^4]).Split("\r\n");
        var statusText = lines[0].Split(' ', 3);
        if (statusText.Length < 2 || !int.TryParse(statusText[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 400 or > 499)
        {
            return null;
        }

        var (emptyBody, closes) = (false, false);
        var kept = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon].Trim() : "";
            var value = colon > 0 ? line[(colon + 1)..].Trim() : "";
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                emptyBody = value == "0";
                continue;
            }

            closes |= name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Equals("close", StringComparison.OrdinalIgnoreCase);
            kept.Append(line).Append("\r\n");
        }

        if (!emptyBody || !closes)
        {
            return null;
        }

        var body = _bodies.GetOrAdd(status, Body);
        kept.Append("Content-Type: application/problem+json\r\nContent-Length: ")
            .Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(kept.ToString()), .. body];
    }

    private byte[] Body(int status) => JsonSerializer.SerializeToUtf8Bytes(new ProblemDetails
    {
        Type = status switch
        {
            StatusCodes.Status400BadRequest => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            StatusCodes.Status408RequestTimeout => "https://tools.ietf.org/html/rfc9110#section-15.5.9",
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
            _ => "https://tools.ietf.org/html/rfc9110#section-15.5",
        },
        Title = ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Request refused",
        Status = status,
        Detail = status switch
        {
            StatusCodes.Status400BadRequest =>
                "The request is not valid HTTP/1.1: a malformed request line, header or chunked framing, or a path that does not decode (such as a percent-encoded NUL).",
            StatusCodes.Status408RequestTimeout =>
                $"The request line and headers did not arrive within {limits.RequestHeadersTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than the server accepts.",
            StatusCodes.Status414UriTooLong =>
                $"The request line (method, path with query, version) is longer than {limits.MaxRequestLineBytes.ToString(CultureInfo.InvariantCulture)} bytes.",
            StatusCodes.Status431RequestHeaderFieldsTooLarge =>
                $"The request headers are larger than {limits.MaxRequestHeadersBytes.ToString(CultureInfo.InvariantCulture)} bytes in total or more than {limits.MaxRequestHeaderCount.ToString(CultureInfo.InvariantCulture)} headers.",
            _ => "The server refused the request before reading it.",
        },
    });
}
