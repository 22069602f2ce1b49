using System.Text;

namespace ProductEvents.Fuzz.Tests.Generators;

/// <summary>
/// One hostile request: the body's bytes (which may hold placeholders the runner fills with ids known only at run
/// time, such as <see cref="SegmentPlaceholder"/>), how it is framed, and how the generator made it.
/// </summary>
/// <param name="Marker">Unique per case; the valid bodies the case started from use it in every id.</param>
/// <param name="PathId">For the User.com route: the product id in the path, already percent-encoded.</param>
public sealed record FuzzRequest(
    FuzzEndpoint Endpoint, string Marker, string Shape, byte[] Body, string? ContentType, bool Chunked, string PathId)
{
    public const string SegmentPlaceholder = "@@SEGMENT@@";

    /// <summary>The body as printable text: ASCII as is, every other byte as \xNN, cut after 600 characters.</summary>
    public string BodyText()
    {
        var text = new StringBuilder();
        foreach (var b in Body)
        {
            if (text.Length > 600)
            {
                text.Append($"... ({Body.Length} bytes)");
                break;
            }

            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.ToString();
    }

    public override string ToString() =>
        $"{Endpoint} [{Shape}] content-type={ContentType ?? "(none)"} {(Chunked ? "chunked" : "content-length")} path-id={PathId} body={BodyText()}";
}
