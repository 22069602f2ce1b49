using System.Security.Cryptography;
using System.Text;

namespace ProductEvents.Automations.Tests.Support;

/// <summary>What a receiver does to verify a webhook: HMAC-SHA256 of the exact body bytes with the shared secret.</summary>
public static class Signatures
{
    public static bool Verify(byte[] body, string? header, string secret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }
}
