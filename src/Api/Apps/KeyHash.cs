using System.Buffers.Binary;
using ProductEvents.Storage.Apps;

namespace ProductEvents.Api.Apps;

/// <summary>The SHA-256 of a key as a value, so a lookup by it allocates nothing.</summary>
public readonly record struct KeyHash(ulong A, ulong B, ulong C, ulong D)
{
    public static KeyHash Of(ReadOnlySpan<char> key)
    {
        Span<byte> hash = stackalloc byte[AppKeySecrets.HashBytes];
        AppKeySecrets.Hash(key, hash);
        return From(hash);
    }

    public static KeyHash From(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
}
