using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ProductEvents.Storage.Apps;

/// <summary>
/// New keys and their stored form. A key is a recognizable prefix (<c>pe_sk_</c> secret, <c>pe_pk_</c> public: secret
/// scanners and people can tell what leaked) and 32 random bytes in base64url. Only its SHA-256 is stored: with 256
/// random bits a fast hash cannot be reversed or brute-forced, and checking a request costs a microsecond rather than
/// the tens of milliseconds a password hash is built to take.
/// </summary>
public static class AppKeySecrets
{
    public const string SecretPrefix = "pe_sk_";
    public const string PublicPrefix = "pe_pk_";
    public const int RandomBytes = 32;
    public const int HashBytes = SHA256.HashSizeInBytes;

    /// <summary>Keys up to this many UTF-8 bytes are hashed without allocating.</summary>
    private const int StackBytes = 1024;

    public static string Generate(AppKeyKind kind)
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return (kind == AppKeyKind.Secret ? SecretPrefix : PublicPrefix) + Base64Url.EncodeToString(random);
    }

    public static byte[] Hash(string key)
    {
        var hash = new byte[HashBytes];
        Hash(key, hash);
        return hash;
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes into <paramref name="hash"/>.</summary>
    public static void Hash(ReadOnlySpan<char> key, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> bytes = length <= StackBytes ? stackalloc byte[StackBytes] : new byte[length];
        var written = Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes[..written], hash);
    }
}
