using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Grain snapshots in Orleans' binary format (the state types carry <c>[Id]</c>s, so fields can be added later)
/// instead of the provider's default, Newtonsoft JSON with type names: reading a contact's snapshot as JSON took more
/// CPU than everything else its activation did. Binary payloads start with a marker byte that JSON text never starts
/// with; a payload without it was written as JSON by an earlier version and is read with <paramref name="legacy"/>.
/// </summary>
public sealed class SnapshotSerializer(Serializer serializer, IGrainStorageSerializer legacy) : IGrainStorageSerializer
{
    private const byte BinaryMarker = 0;

    public BinaryData Serialize<T>(T? input)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write([BinaryMarker]);
        serializer.Serialize(input, buffer);
        return new BinaryData(buffer.WrittenMemory);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory();
        return bytes.Length > 0 && bytes.Span[0] == BinaryMarker
            ? serializer.Deserialize<T>(bytes[1..])
            : legacy.Deserialize<T>(input);
    }
}
