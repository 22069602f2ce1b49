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
}
