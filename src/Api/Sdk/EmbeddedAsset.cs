using System.IO.Compression;
using System.Security.Cryptography;

namespace ProductEvents.Api.Sdk;

/// <summary>A file built into this assembly, with its gzip form and a strong ETag, read once.</summary>
public sealed class EmbeddedAsset
{
    private EmbeddedAsset(byte[] content)
    {
        Content = content;
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize))
        {
            gzip.Write(content);
        }

        Gzipped = gzipped.ToArray();
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..20] + "\"";
    }

    public byte[] Content { get; }

    public byte[] Gzipped { get; }

    public string ETag { get; }

    public static EmbeddedAsset Load(string logicalName)
    {
        using var stream = typeof(EmbeddedAsset).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The assembly has no resource '{logicalName}'.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new EmbeddedAsset(buffer.ToArray());
    }

    /// <summary>Answers the file with its ETag (304 when the client has it) and gzipped to clients that accept it.</summary>
    public IResult Serve(HttpContext http, string contentType, string cacheControl)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.ETag = ETag;
        headers.Vary = "Accept-Encoding";
        if (http.Request.Headers.IfNoneMatch.Contains(ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(Gzipped, contentType);
        }

        return TypedResults.Bytes(Content, contentType);
    }
}
